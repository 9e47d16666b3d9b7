/* The attempt page on a weak connection. Without this script the page is a plain form
   (save per question, submit). With it, every change is kept in localStorage with a
   sequence number and sent to the server, and resent until the server has it; the server
   keeps only the newest sequence, so resends and replays are harmless. The time left is
   counted from the server's clock (deadline and now are sent with the page). */
(function () {
  "use strict";
  var bar = document.getElementById("attempt-bar");
  var form = document.getElementById("attempt-form");
  if (!bar || !form) { return; }
  var key = "kompeten-attempt-" + bar.dataset.attempt;
  var deadline = bar.dataset.deadline ? Date.parse(bar.dataset.deadline) : null;
  var offset = Date.parse(bar.dataset.now) - Date.now();
  var sending = {};
  var store = load();

  function load() {
    try { return JSON.parse(window.localStorage.getItem(key)) || {}; } catch (e) { return {}; }
  }
  function persist() {
    try { window.localStorage.setItem(key, JSON.stringify(store)); } catch (e) { /* full or private mode */ }
  }
  function section(qid) { return document.getElementById("q" + qid); }
  function say(text) { document.getElementById("connection").textContent = text || ""; }

  function fieldsOf(el) {
    var out = {};
    el.querySelectorAll("input, select, textarea").forEach(function (input) {
      if (!input.name || !/^q\d+/.test(input.name)) { return; }
      out[input.name] = out[input.name] || [];
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) { return; }
      out[input.name].push(input.value);
    });
    return out;
  }
  function restore(el, fields) {
    el.querySelectorAll("input, select, textarea").forEach(function (input) {
      var values = fields[input.name];
      if (!values) { return; }
      if (input.type === "radio" || input.type === "checkbox") {
        input.checked = values.indexOf(input.value) !== -1;
      } else {
        input.value = values[0] || "";
      }
    });
  }
  function mark(qid, saved) {
    var el = section(qid);
    el.querySelector(".save-state").textContent = saved ? bar.dataset.labelSaved : bar.dataset.labelUnsaved;
    el.classList.toggle("unsaved", !saved);
    el.dataset.saved = saved ? "1" : "0";
  }

  function send(qid) {
    var entry = store[qid];
    if (!entry || entry.saved || sending[qid]) { return; }
    sending[qid] = true;
    var seq = entry.seq;
    window.fetch(bar.dataset.saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": bar.dataset.csrf },
      body: JSON.stringify({ question_id: Number(qid), seq: seq, fields: entry.fields })
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }).then(function (result) {
      sending[qid] = false;
      if (result.status === 200) {
        if (result.body.now) { offset = Date.parse(result.body.now) - Date.now(); }
        if (store[qid] && store[qid].seq <= result.body.seq) {
          store[qid].saved = true;
          persist();
          mark(qid, true);
        }
        say("");
        send(qid);
      } else if (result.status === 409 && result.body.error.code === "seq_conflict") {
        /* another tab saved a different answer under this number: this tab's answer is the
           newer edit, so it goes again above the stored number */
        if (store[qid]) {
          store[qid].seq = Math.max(store[qid].seq, result.body.error.details.seq + 1);
          persist();
        }
        send(qid);
      } else if (result.status === 409) {
        window.localStorage.removeItem(key);
        window.location.reload();
      } else {
        say(result.body.error ? result.body.error.message : "");
      }
    }).catch(function () {
      sending[qid] = false;
      say(bar.dataset.labelOffline);
    });
  }
  function flush() { Object.keys(store).forEach(send); }

  function changed(event) {
    var el = event.target.closest(".question");
    if (!el) { return; }
    var qid = el.dataset.question;
    var fields = fieldsOf(el);
    /* Leaving a text field fires "change" after its "input" events already sent the text:
       the same answer again is not a change (and must not stir the page under a tap). */
    if (store[qid] && JSON.stringify(store[qid].fields) === JSON.stringify(fields)) { return; }
    var previous = store[qid] ? store[qid].seq : Number(el.dataset.seq);
    store[qid] = { fields: fields, seq: Math.max(previous, Number(el.dataset.seq)) + 1, saved: false };
    persist();
    mark(qid, false);
    send(qid);
  }

  document.querySelectorAll(".question").forEach(function (el) {
    var qid = el.dataset.question;
    var entry = store[qid];
    if (entry && !entry.saved && entry.seq > Number(el.dataset.seq)) {
      restore(el, entry.fields);
      mark(qid, false);
    } else if (entry) {
      delete store[qid];
    }
  });
  persist();
  form.addEventListener("change", changed);
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA" || event.target.type === "text") { changed(event); }
  });
  form.addEventListener("click", function (event) {
    var button = event.target.closest(".save-one");
    if (!button) { return; }
    event.preventDefault();
    flush();
  });
  form.addEventListener("submit", function (event) {
    if (!window.navigator.onLine) {
      event.preventDefault();
      say(bar.dataset.labelOffline);
      return;
    }
    window.localStorage.removeItem(key);
  });
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { say(bar.dataset.labelOffline); });
  window.setInterval(flush, 4000);
  flush();

  var clock = document.getElementById("time-left");
  var closing = false;
  function tick() {
    if (!clock || deadline === null) { return; }
    var left = Math.max(0, Math.floor((deadline - (Date.now() + offset)) / 1000));
    if (left === 0) {
      clock.textContent = bar.dataset.labelTimeup;
      if (!closing) {
        closing = true;
        /* After the grace period the server closes the attempt: show its result. */
        window.setTimeout(function () { window.location.reload(); }, (Number(bar.dataset.grace) + 2) * 1000);
      }
      return;
    }
    var minutes = Math.floor(left / 60);
    var seconds = left % 60;
    clock.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
  }
  tick();
  window.setInterval(tick, 1000);
}());
