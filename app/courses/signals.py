"""The one place the rest of the app hears that a trainee completed a course.

    from app.courses.signals import course_completed

    @course_completed.connect
    def issue(sender, enrollment, **extra): ...

Sent by completion.evaluate_completion exactly once per enrolment, inside the transaction
that marks it complete (receivers flush, never commit; if the transaction rolls back, so
does whatever they did). `sender` is the Flask app (or None outside an app context).
"""

from __future__ import annotations

from blinker import Namespace

signals = Namespace()

course_completed = signals.signal("course-completed")
