/*
 * Timeline filters for the home page (see builder/timeline.py).
 *
 * Reads the data attributes of every .tl-entry (data-type, data-year,
 * data-people / data-companies: JSON lists of page slugs, data-terms: JSON
 * list of names and aliases) and shows the entries that match every chosen filter. The
 * state lives in the query string (?type=funding&company=zhi-pu&from=2023&q=…),
 * so a filtered view can be shared and reloads the same. No server, no library.
 */
(function () {
  "use strict";

  var FIELDS = ["type", "company", "person", "from", "to", "q"];

  function list(value) {
    try {
      var parsed = JSON.parse(value || "[]");
      return Array.isArray(parsed) ? parsed : [];
    } catch (e) {
      return [];
    }
  }

  function norm(text) {
    return String(text || "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function readEntry(li) {
    return {
      el: li,
      type: li.getAttribute("data-type") || "",
      year: parseInt(li.getAttribute("data-year") || "", 10),
      people: list(li.getAttribute("data-people")),
      companies: list(li.getAttribute("data-companies")),
      text: norm(li.textContent + " " + list(li.getAttribute("data-terms")).join(" "))
    };
  }

  function state(form) {
    var out = {};
    FIELDS.forEach(function (name) {
      var field = form.elements.namedItem(name);
      out[name] = field ? String(field.value || "").trim() : "";
    });
    return out;
  }

  function matches(entry, s) {
    if (s.type && entry.type !== s.type) return false;
    if (s.company && entry.companies.indexOf(s.company) < 0) return false;
    if (s.person && entry.people.indexOf(s.person) < 0) return false;
    if ((s.from || s.to) && isNaN(entry.year)) return false;
    if (s.from && entry.year < parseInt(s.from, 10)) return false;
    if (s.to && entry.year > parseInt(s.to, 10)) return false;
    if (s.q) {
      var words = norm(s.q).split(" ");
      for (var i = 0; i < words.length; i++) {
        if (entry.text.indexOf(words[i]) < 0) return false;
      }
    }
    return true;
  }

  function setFromUrl(form) {
    var params = new URLSearchParams(window.location.search);
    FIELDS.forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (!field) return;
      var value = params.get(name) || "";
      if (field.tagName === "SELECT") {
        var known = Array.prototype.some.call(field.options, function (o) {
          return o.value === value;
        });
        field.value = known ? value : "";
      } else {
        field.value = value;
      }
    });
  }

  function writeUrl(s) {
    var params = new URLSearchParams();
    FIELDS.forEach(function (name) {
      if (s[name]) params.set(name, s[name]);
    });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.replaceState(window.history.state, "", url);
    }
  }

  function toggleGroups(root) {
    var shownYears = {};
    root.querySelectorAll("ol.tl-list[data-group]").forEach(function (ol) {
      var any = ol.querySelector(".tl-entry:not([hidden])") !== null;
      var group = ol.getAttribute("data-group");
      ol.hidden = !any;
      var heading = document.getElementById(group);
      if (heading) heading.hidden = !any;
      if (any) shownYears["y" + ol.getAttribute("data-year")] = true;
      var jump = root.querySelector('.tl-jump [data-target="' + group + '"]');
      if (jump) jump.hidden = !any;
    });
    root.querySelectorAll(".tl-jump a.tl-jump-year").forEach(function (a) {
      var id = a.getAttribute("data-target");
      var heading = document.getElementById(id);
      var any = shownYears[id] === true;
      if (heading) heading.hidden = !any;
      if (a.parentElement) a.parentElement.hidden = !any;
    });
  }

  function init() {
    var form = document.getElementById("tl-filters");
    if (!form || form.getAttribute("data-ready") === "1") return;
    form.setAttribute("data-ready", "1");
    var root = form.closest("article") || document;
    var entries = Array.prototype.map.call(root.querySelectorAll(".tl-entry"), readEntry);
    var status = form.querySelector(".tl-filter-status");
    var empty = root.querySelector(".tl-empty");

    function apply(updateUrl) {
      var s = state(form);
      var shown = 0;
      entries.forEach(function (entry) {
        var ok = matches(entry, s);
        entry.el.hidden = !ok;
        if (ok) shown += 1;
      });
      toggleGroups(root);
      var active = FIELDS.some(function (name) { return s[name]; });
      if (status) {
        status.textContent = active ? "显示 " + shown + " / " + entries.length + " 个事件" : "";
      }
      if (empty) empty.hidden = shown > 0;
      form.classList.toggle("tl-filters--active", active);
      if (updateUrl) writeUrl(s);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      apply(true);
    });
    form.addEventListener("input", function () { apply(true); });
    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("reset", function () {
      window.setTimeout(function () { apply(true); }, 0);
    });
    window.addEventListener("popstate", function () {
      setFromUrl(form);
      apply(false);
    });

    setFromUrl(form);
    form.hidden = false;
    apply(false);
  }

  if (typeof window.document$ !== "undefined" && window.document$ && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
