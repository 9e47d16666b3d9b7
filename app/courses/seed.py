"""Demo data: SKKNI units of the Junior Web Developer occupation, a published cohort course of
three modules at BBPVP Bandung, and the demo trainee enrolled and part-way through.
Idempotent: it finds what exists before it creates anything."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.courses.models import CompetencyUnit, Course, Lesson
from app.courses.services import authoring, enrolment, outline, progress
from app.extensions import db
from app.i18n import local_today
from app.seed import SeedReport, find_or_create, institution, user

COURSE_CODE = "JWD"

UNITS = [
    ("J.620100.004.02", "Menggunakan Struktur Data", "Using Data Structures", [
        ("Mengidentifikasi konsep data dan struktur data", [
            "Konsep data dan struktur data diidentifikasi sesuai dengan konteks permasalahan.",
            "Alternatif struktur data dibandingkan kelebihan dan kekurangannya.",
        ]),
        ("Menerapkan struktur data dan akses terhadap struktur data tersebut", [
            "Struktur data diimplementasikan sesuai dengan bahasa pemrograman yang digunakan.",
            "Akses terhadap data dinyatakan dalam algoritma yang efisien.",
        ]),
    ]),
    ("J.620100.005.02", "Mengimplementasikan User Interface", "Implementing the User Interface", [
        ("Mengidentifikasi rancangan user interface", [
            "Rancangan user interface diidentifikasi sesuai kebutuhan.",
            "Komponen user interface dialog diidentifikasi sesuai konteks rancangan proses.",
        ]),
        ("Melakukan implementasi rancangan user interface", [
            "Menu program sesuai dengan rancangan program diterapkan.",
            "Penempatan user interface dialog diatur secara sekuensial.",
        ]),
    ]),
    ("J.620100.009.01", "Menggunakan Spesifikasi Program", "Using Program Specifications", [
        ("Menggunakan metode pengembangan program", [
            "Metode pengembangan aplikasi (software development) didefinisikan.",
        ]),
        ("Menggunakan diagram program dan deskripsi program", [
            "Diagram program dengan metodologi pengembangan sistem didefinisikan.",
        ]),
    ]),
    ("J.620100.016.01", "Menulis Kode dengan Prinsip sesuai Guidelines dan Best Practices",
     "Writing Code Following Guidelines and Best Practices", [
        ("Menerapkan coding-guidelines dan best practices dalam penulisan program", [
            "Kode sumber dituliskan mengikuti coding-guidelines dan best practices.",
            "Struktur program yang sesuai dengan konsep paradigmanya dibuat.",
        ]),
    ]),
    ("J.620100.017.02", "Mengimplementasikan Pemrograman Terstruktur",
     "Implementing Structured Programming", [
        ("Menggunakan tipe data dan kontrol program", [
            "Tipe data yang sesuai standar ditentukan.",
            "Syntax program yang dikuasai digunakan sesuai standar.",
            "Struktur kontrol program yang dikuasai digunakan sesuai standar.",
        ]),
    ]),
    ("J.620100.019.02", "Menggunakan Library atau Komponen Pre-Existing",
     "Using Libraries or Pre-Existing Components", [
        ("Melakukan pemilihan unit-unit reuse yang potensial", [
            "Class unit-unit reuse (dari aplikasi lain) yang sesuai diidentifikasi.",
        ]),
    ]),
    ("J.620100.025.02", "Melakukan Debugging", "Debugging", [
        ("Mempersiapkan kode program", [
            "Kode program sesuai spesifikasi disiapkan.",
            "Debugging tools untuk melihat proses suatu modul dipersiapkan.",
        ]),
        ("Melakukan debugging", [
            "Kode program dikompilasi sesuai bahasa pemrograman yang digunakan.",
            "Kriteria lulus build dianalisis.",
        ]),
    ]),
    ("TIK.OP01.002.01", "Mengidentifikasi Aspek Kode Etik dan HAKI di Bidang TIK",
     "Identifying Ethics and Intellectual Property in ICT", [
        ("Mengidentifikasi kode etik di bidang TIK", [
            "Kode etik profesi di bidang TIK dijelaskan.",
        ]),
    ]),
]  # fmt: skip

MODULES = [
    ("Dasar-dasar Web", [
        ("Cara kerja web", 15, "Peramban meminta halaman ke **server**, server menjawab dengan "
         "HTML.\n\n1. Anda mengetik alamat.\n2. Peramban mengirim permintaan HTTP.\n"
         "3. Server mengirim HTML, CSS dan gambar.\n\nhttps://www.youtube.com/watch?v=hJHvdBlSxug"),
        ("Struktur dokumen HTML", 25, "Setiap halaman punya kerangka yang sama:\n\n"
         "```html\n<!doctype html>\n<html lang=\"id\">\n  <head><title>Toko Batik</title></head>\n"
         "  <body><h1>Selamat datang</h1></body>\n</html>\n```\n\n"
         "> Gunakan judul (`h1`-`h3`) berurutan agar mudah dibaca pembaca layar."),
        ("Menata tampilan dengan CSS", 25, "CSS mengatur warna, huruf dan tata letak.\n\n"
         "- Pilih elemen dengan *selector*.\n- Atur *property* dan nilainya.\n"
         "- Uji di layar ponsel terlebih dahulu (*mobile first*)."),
    ]),
    ("Pemrograman Terstruktur", [
        ("Variabel dan tipe data", 20, "Variabel menyimpan nilai. Tipe data menentukan apa yang "
         "bisa dilakukan: angka, teks, benar/salah.\n\n```js\nlet harga = 150000;\n"
         "let nama = \"Kemeja batik\";\n```"),
        ("Percabangan dan perulangan", 30, "Gunakan `if` untuk memilih, `for` untuk mengulang.\n\n"
         "| Pernyataan | Kegunaan |\n| --- | --- |\n| `if` | memilih |\n| `for` | mengulang |"),
        ("Larik dan objek", 30, "Larik menyimpan daftar; objek menyimpan pasangan nama dan nilai."),
    ]),
    ("Membangun dan Menguji Aplikasi", [
        ("Menggunakan pustaka", 20, "Pustaka (*library*) menghemat waktu. Periksa lisensi dan "
         "pemeliharaannya sebelum dipakai."),
        ("Debugging", 30, "Baca pesan galat, ulangi masalahnya, persempit penyebabnya, "
         "lalu perbaiki dan uji kembali."),
        ("Menulis kode yang rapi", 20, "Nama yang jelas, fungsi yang pendek, dan komentar yang "
         "menjelaskan *mengapa*, bukan *apa*."),
    ]),
]  # fmt: skip


def _units() -> list[str]:
    codes = []
    for code, title_id, title_en, elements in UNITS:
        find_or_create(
            CompetencyUnit,
            {"code": code},
            title_id=title_id,
            title_en=title_en,
            elements=[{"title": t, "criteria": list(c)} for t, c in elements],
        )
        codes.append(code)
    db.session.flush()
    return codes


def seed_courses(report: SeedReport) -> None:
    codes = _units()
    home = institution("bbpvp-bandung")
    course = db.session.scalar(
        select(Course).where(Course.institution_id == home.id, Course.code == COURSE_CODE)
    )
    if course is None:
        course = _build_course(home, codes)
    # A Sertifikat Kompetensi: the demo exam and practical (the assessments step, which runs
    # next) cover every unit, and publishing cannot wait for them, so the kind is set here.
    course.certificate_kind = "competency"
    report.lines.append(
        f"Course {COURSE_CODE} (Junior Web Developer): /courses/{course.id} "
        f"- {len(codes)} SKKNI units, peserta@demo.kompeten.id enrolled part-way"
    )


def _build_course(home, codes: list[str]) -> Course:
    author = user("instruktur@demo.kompeten.id")
    course = authoring.create_course(
        author,
        home,
        code=COURSE_CODE,
        title="Junior Web Developer",
        summary="Pelatihan berbasis kompetensi untuk okupasi Junior Web Developer sesuai "
        "SKKNI bidang pemrograman: HTML, CSS, pemrograman terstruktur dan debugging.",
        sector="tik",
        level=3,
        hours=160,
        unit_codes=codes,
        self_paced=False,
    )
    for title, lessons in MODULES:
        module = outline.add_module(author, course, title)
        for lesson_title, minutes, body in lessons:
            outline.add_lesson(
                author, module, title=lesson_title, body=body, duration_minutes=minutes
            )
    authoring.publish(author, course)
    today = local_today()
    cohort = enrolment.create_cohort(
        author,
        course,
        name=f"Angkatan 1 {today.year}",
        starts_on=today - timedelta(days=14),
        ends_on=today + timedelta(days=60),
        capacity=16,
    )
    trainee = user("peserta@demo.kompeten.id")
    record = enrolment.enrol(trainee, course, cohort, by=author)
    lessons = db.session.scalars(
        select(Lesson)
        .where(Lesson.version_id == record.course_version_id)
        .order_by(Lesson.module_id, Lesson.position)
    ).all()
    for lesson in lessons[:4]:
        progress.complete_lesson(trainee, record, lesson)
    return course
