/*
 * Timeline filters for the home page (see builder/timeline.py, builder/lazydata.py).
 *
 * The home page is server-rendered with the newest events only. This script
 * loads the per-year JSON files (timeline/data/<year>.json, entities.json)
 * after the page has loaded, fills the company and person menus, and shows
 * the filter form. A filter (type, company, person, years, text; state in the
 * query string: ?type=funding&company=zhi-pu&from=2023&q=…) runs over all
 * events and renders only a window of the matches (more on demand), grouped
 * by month, with the same markup as the server. Every string goes in through
 * textContent or setAttribute: data never becomes markup.
 *
 * On month pages, a link to a merged event's anchor forwards to the event it
 * was merged into.
 */
(function () {
  "use strict";

  var FIELDS = ["type", "company", "person", "from", "to", "q"];
  var WINDOW = 50; // entries rendered per step (a screen shows about 20)

  function norm(text) {
    return String(text || "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }

  function state(form) {
    var out = {};
    FIELDS.forEach(function (name) {
      var field = form.elements.namedItem(name);
      out[name] = field ? String(field.value || "").trim() : "";
    });
    return out;
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

  // history.replaceState can take 100 ms on a big page: write the URL after the results are
  // painted and the user paused (and at the latest when the page is left)
  var pendingUrl = null;
  var urlTimer = 0;

  function flushUrl() {
    if (urlTimer) window.clearTimeout(urlTimer);
    urlTimer = 0;
    if (pendingUrl) writeUrl(pendingUrl);
    pendingUrl = null;
  }

  function scheduleUrl(s) {
    pendingUrl = s;
    if (urlTimer) window.clearTimeout(urlTimer);
    urlTimer = window.setTimeout(flushUrl, 250);
  }

  window.addEventListener("pagehide", flushUrl);

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

  /* ---------------------------------------------------------------- data */

  // record: [id, date, label, type, title, monthUrl, people, companies, sources, reported, dateText]
  function prepare(records, entities) {
    var types = entities.types || {};
    return records.map(function (r) {
      var words = [r[4], r[2], r[10], types[r[3]] || r[3]];
      [["person", r[6]], ["company", r[7]]].forEach(function (pair) {
        pair[1].forEach(function (slug) {
          var e = entities[pair[0]][slug];
          if (e) words.push(e[0]), words.push.apply(words, e.slice(2));
        });
      });
      return {
        r: r,
        year: r[1] ? parseInt(r[1].slice(0, 4), 10) : NaN,
        month: r[1] ? r[1].slice(0, 7) : "",
        text: norm(words.join(" "))
      };
    });
  }

  function matches(e, s, words) {
    var r = e.r;
    if (s.type && r[3] !== s.type) return false;
    if (s.company && r[7].indexOf(s.company) < 0) return false;
    if (s.person && r[6].indexOf(s.person) < 0) return false;
    if ((s.from || s.to) && isNaN(e.year)) return false;
    if (s.from && e.year < parseInt(s.from, 10)) return false;
    if (s.to && e.year > parseInt(s.to, 10)) return false;
    for (var i = 0; i < words.length; i++) {
      if (e.text.indexOf(words[i]) < 0) return false;
    }
    return true;
  }

  /* ---------------------------------------------------------------- rendering */

  function monthLabel(r) {
    if (!r[1]) return "日期不详";
    var y = parseInt(r[1].slice(0, 4), 10);
    var m = r[1].length >= 7 ? parseInt(r[1].slice(5, 7), 10) : 0;
    return m ? y + "年" + m + "月" : y + "年（月份不详）";
  }

  function Renderer(box, entities, badges) {
    this.box = box;
    this.entities = entities;
    this.badges = badges;
  }

  Renderer.prototype.entry = function (r) {
    var li = el("li", "tl-entry tl-entry--" + r[3]);
    var date = el(r[1] ? "time" : "span", "tl-date", r[2]);
    if (r[1]) date.setAttribute("datetime", r[1]);
    if (r[10]) date.title = "原文：" + r[10];
    li.appendChild(date);
    li.appendChild(document.createTextNode(" "));
    var badge = this.badges[r[3]];
    li.appendChild(badge ? badge.cloneNode(true) : el("span", "tl-badge", this.entities.types[r[3]] || r[3]));
    if (r[9]) {
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "tl-status", "传闻"));
    }
    li.appendChild(document.createTextNode(" "));
    var title = el("span", "tl-title");
    var a = el("a", "", r[4]);
    a.href = r[5] + "#" + r[0];
    title.appendChild(a);
    li.appendChild(title);
    var parties = el("span", "tl-parties");
    var self = this;
    [["person", r[6]], ["company", r[7]]].forEach(function (pair) {
      pair[1].forEach(function (slug) {
        var e = self.entities[pair[0]][slug];
        if (!e) return;
        if (parties.childNodes.length) parties.appendChild(document.createTextNode("、"));
        var link = el("a", "", e[0]);
        link.href = e[1];
        parties.appendChild(link);
      });
    });
    if (parties.childNodes.length) {
      li.appendChild(document.createTextNode(" "));
      li.appendChild(parties);
    }
    li.appendChild(document.createTextNode(" "));
    li.appendChild(el("span", "tl-count", r[8] + " 个来源"));
    return li;
  };

  // append matches[from, to) to the box, continuing the last month group
  Renderer.prototype.append = function (matches, from, to) {
    var frag = document.createDocumentFragment();
    var list = this.lastList;
    var month = this.lastMonth;
    for (var i = from; i < to; i++) {
      var e = matches[i];
      if (!list || e.month !== month) {
        month = e.month;
        var head = el("h2", "tl-month-head", monthLabel(e.r));
        head.setAttribute("data-month", month || "undated");
        frag.appendChild(head);
        list = el("ol", "tl-list");
        frag.appendChild(list);
      }
      list.appendChild(this.entry(e.r));
    }
    this.lastList = list;
    this.lastMonth = month;
    this.box.insertBefore(frag, this.more);
  };

  Renderer.prototype.show = function (matches) {
    var self = this;
    this.box.textContent = "";
    this.lastList = null;
    this.lastMonth = null;
    this.more = el("button", "md-button tl-more-button");
    this.more.type = "button";
    this.box.appendChild(this.more);
    var shown = 0;
    function more() {
      var next = Math.min(matches.length, shown + WINDOW);
      self.append(matches, shown, next);
      shown = next;
      self.more.hidden = shown >= matches.length;
      self.more.textContent = "显示更多（还有 " + (matches.length - shown) + " 个）";
    }
    this.more.addEventListener("click", more);
    more();
  };

  /* ---------------------------------------------------------------- page wiring */

  function fillSelect(form, name, table) {
    var select = form.elements.namedItem(name);
    if (!select) return;
    var slugs = Object.keys(table).sort();
    var frag = document.createDocumentFragment();
    slugs.forEach(function (slug) {
      var o = document.createElement("option");
      o.value = slug;
      o.textContent = table[slug][0];
      frag.appendChild(o);
    });
    select.appendChild(frag);
  }

  function badgesFrom(template) {
    var out = {};
    if (!template || !template.content) return out;
    Array.prototype.forEach.call(template.content.querySelectorAll(".tl-badge"), function (b) {
      var m = /tl-badge--(\S+)/.exec(b.className);
      if (m) out[m[1]] = b;
    });
    return out;
  }

  function initFilters() {
    var form = document.getElementById("tl-filters");
    var box = document.getElementById("tl-results");
    if (!form || !box || form.getAttribute("data-ready")) return;
    form.setAttribute("data-ready", "loading");
    var latest = document.getElementById("tl-latest");
    var jump = document.querySelector(".tl-jump");
    var status = form.querySelector(".tl-filter-status");
    var src = box.getAttribute("data-src") || "timeline/data/";
    var years = (box.getAttribute("data-years") || "").split(",").filter(Boolean);

    Promise.all([getJSON(src + "entities.json")].concat(years.map(function (y) {
      return getJSON(src + y + ".json");
    }))).then(function (parts) {
      var entities = parts[0];
      var records = [].concat.apply([], parts.slice(1));
      var events = prepare(records, entities);
      var renderer = new Renderer(box, entities, badgesFrom(document.getElementById("tl-badges")));
      fillSelect(form, "company", entities.company || {});
      fillSelect(form, "person", entities.person || {});

      function apply(updateUrl) {
        var s = state(form);
        var active = FIELDS.some(function (name) { return s[name]; });
        var found = [];
        if (active) {
          var words = s.q ? norm(s.q).split(" ") : [];
          for (var i = 0; i < events.length; i++) {
            if (matches(events[i], s, words)) found.push(events[i]);
          }
          renderer.show(found);
          if (found.length === 0) box.appendChild(el("p", "tl-empty", "没有符合筛选条件的事件。"));
        } else {
          box.textContent = "";
        }
        box.hidden = !active;
        if (latest) latest.hidden = active;
        if (jump) jump.hidden = active;
        if (status) status.textContent = active ? "显示 " + found.length + " / " + events.length + " 个事件" : "";
        if (updateUrl) scheduleUrl(s);
      }

      form.addEventListener("submit", function (event) {
        event.preventDefault();
        apply(true);
        flushUrl();
      });
      form.addEventListener("input", function () { apply(true); });
      form.addEventListener("change", function () { apply(true); });
      form.addEventListener("reset", function () {
        window.setTimeout(function () { apply(true); }, 0);
      });
      window.addEventListener("popstate", function () {
        pendingUrl = null;
        setFromUrl(form);
        apply(false);
      });
      setFromUrl(form);
      apply(false);
      form.hidden = false;
      form.setAttribute("data-ready", "1");
    }).catch(function (err) {
      form.setAttribute("data-ready", "error");
      if (window.console) window.console.warn("timeline data:", err);
    });
  }

  // a link to a merged event's anchor: go on to the event it was merged into
  function followRedirect() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) return;
    var target = document.getElementById(id);
    if (!target || !target.classList.contains("tl-redirect")) return;
    var a = target.querySelector("a[href]");
    if (a) window.location.replace(a.href);
  }

  function init() {
    followRedirect();
    if (document.getElementById("tl-filters")) {
      // after `load`: the newest events are already on screen, the data is only for filtering
      if (document.readyState === "complete") initFilters();
      else window.addEventListener("load", initFilters);
    }
  }

  window.addEventListener("hashchange", followRedirect);
  if (typeof window.document$ !== "undefined" && window.document$ && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
