/* The changemodel report: details, kind filter, pathway, loop and configuration highlight,
   the configurations' filter and search.
   Every text from the model is put in the page with textContent, never as markup. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("cm-data").textContent);
  var elements = new Map();
  var outgoing = new Map();
  var incoming = new Map();
  var underpins = new Map();
  data.elements.forEach(function (e) {
    elements.set(e.id, e);
    outgoing.set(e.id, []);
    incoming.set(e.id, []);
    underpins.set(e.id, []);
  });
  data.links.forEach(function (l, i) {
    l.index = i;
    outgoing.get(l.source).push(l);
    incoming.get(l.target).push(l);
    l.assumptions.forEach(function (a) { if (underpins.has(a)) { underpins.get(a).push(l); } });
  });
  var findingsOn = new Map();
  data.findings.forEach(function (f) {
    [f.element, f.link].forEach(function (key) {
      if (key !== null) {
        if (!findingsOn.has(key)) { findingsOn.set(key, []); }
        findingsOn.get(key).push(f);
      }
    });
  });

  // Every place an element is shown; search, filter and pathways mark those in
  // the scopes (diagram, logic-model table, element list), so that a change
  // restyles those parts of a large page only.
  function collect(selector) {
    var found = new Map();
    document.querySelectorAll(selector).forEach(function (node) {
      var id = node.getAttribute("data-id");
      if (!found.has(id)) { found.set(id, []); }
      found.get(id).push(node);
    });
    return found;
  }
  var views = collect("[data-id]");
  var SCOPES = "#cm-svg, #logic-model, #elements";
  var scoped = collect("#cm-svg [data-id], #logic-model [data-id], #elements [data-id]");
  var scopes = document.querySelectorAll(SCOPES);
  var linkViews = new Map();
  document.querySelectorAll("[data-link]").forEach(function (node) {
    linkViews.set(Number(node.getAttribute("data-link")), node);
  });
  var haystack = new Map();
  data.elements.forEach(function (e) {
    var parts = [e.id, e.label, e.kindLabel, e.description || "", e.resource || "",
      e.reasoning || ""].concat(e.tags);
    e.actors.forEach(function (a) { parts.push(a.name, a.role || ""); });
    e.indicators.forEach(function (i) { parts.push(i.name, i.instrument || ""); });
    haystack.set(e.id, parts.join("\n").toLowerCase());
  });

  function each(id, fn) { (views.get(id) || []).forEach(fn); }
  function eachScoped(id, fn) { (scoped.get(id) || []).forEach(fn); }
  function label(id) { var e = elements.get(id); return e ? e.label : id; }

  // ------------------------------------------------------------ building
  function h(tag, className, children) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    (children || []).forEach(function (c) { if (c !== null) { node.append(c); } });
    return node;
  }
  function elementButton(id) {
    var e = elements.get(id);
    var b = h("button", "cm-el cm-k-" + (e ? e.kind : "none"), [label(id)]);
    b.type = "button";
    b.setAttribute("data-goto", id);
    return b;
  }
  function section(dl, title, items, render) {
    if (!items.length) { return; }
    dl.append(h("dt", null, [title]));
    var list = h("ul");
    items.forEach(function (item) { list.append(h("li", null, render(item))); });
    dl.append(h("dd", null, [list]));
  }
  function joined(parts) { return parts.filter(function (p) { return p; }).join("; "); }
  function citation(ref) {
    var r = ref === null ? null : data.references[ref];
    return r ? r.citation : ref;
  }
  function evidenceItem(ev) {
    var out = [];
    if (ev.status) { out.push(h("span", "cm-badge", [ev.status]), " "); }
    if (ev.strength) { out.push(h("span", "cm-badge", [ev.strength + " strength"]), " "); }
    if (ev.quote) { out.push(h("q", null, [ev.quote]), " "); }
    var source = joined([citation(ev.reference), ev.page ? "p. " + ev.page : ""]);
    if (source) { out.push(h("span", "cm-small", [source]), " "); }
    if (ev.note) { out.push(h("span", null, [ev.note])); }
    return out;
  }
  function findingItem(f) {
    return [h("span", "cm-sev cm-sev-" + f.severity, [f.severity]), " " + f.code + " " +
      f.name + ": " + f.message + (f.hint ? " (" + f.hint + ")" : "")];
  }
  var RELATION = { leads_to: "leads to", moderates: "moderates", part_of: "is part of" };
  function linkItem(l, other) {
    var verb = RELATION[l.relation];
    if (l.relation === "leads_to") { verb += " (" + l.sign + (l.feedback ? ", feedback" : "") + ")"; }
    var out = other === l.target ? [verb + " ", elementButton(l.target)]
      : [elementButton(l.source), " " + verb];
    var notes = [];
    if (l.confidence !== null) { notes.push("confidence " + l.confidence); }
    if (l.rationale) { notes.push("rationale: " + l.rationale); }
    if (notes.length) { out.push(h("div", "cm-small", [notes.join("; ")])); }
    if (l.assumptions.length) {
      var assumes = h("div", "cm-small", ["assumes: "]);
      l.assumptions.forEach(function (a) {
        assumes.append(elements.has(a) ? elementButton(a) : a, " ");
      });
      out.push(assumes);
    }
    l.evidence.forEach(function (ev) { out.push(h("div", "cm-small", evidenceItem(ev))); });
    l.theories.forEach(function (t) {
      out.push(h("div", "cm-small", ["theory: " + (data.theories[t] ? data.theories[t].name : t)]));
    });
    (findingsOn.get(l.id) || []).forEach(function (f) { out.push(h("div", "cm-small", findingItem(f))); });
    return out;
  }

  // ------------------------------------------------------------- details
  var aside = document.getElementById("cm-details");
  var body = document.getElementById("cm-details-body");
  var heading = document.getElementById("cm-details-h");
  var status = document.getElementById("cm-status");
  var selected = null;
  var origin = null;

  function details(id) {
    var e = elements.get(id);
    var kind = e.kindLabel + (e.horizon ? " (" + e.horizon + " term)" : "");
    var top = [h("h3", null, [e.label]), h("p", "cm-small", [kind + " \u00b7 id " + e.id])];
    if (e.description) { top.push(h("p", "cm-description", [e.description])); }
    var dl = h("dl");
    if (e.resource) { dl.append(h("dt", null, ["Resource"]), h("dd", null, [e.resource])); }
    if (e.reasoning) { dl.append(h("dt", null, ["Reasoning"]), h("dd", null, [e.reasoning])); }
    section(dl, "Actors", e.actors, function (a) { return [a.name + (a.role ? " (" + a.role + ")" : "")]; });
    section(dl, "Evidence", e.evidence, evidenceItem);
    section(dl, "Theories", e.theories, function (t) {
      var th = data.theories[t];
      return [th ? th.name : t].concat(th && th.description ? [h("div", "cm-small", [th.description])] : []);
    });
    section(dl, "Indicators", e.indicators, function (i) {
      return [i.name, h("div", "cm-small", [joined([
        i.instrument ? "instrument: " + i.instrument : "",
        i.timepoints.length ? "when: " + i.timepoints.join(", ") : "",
        i.data_source ? "data: " + i.data_source : "",
        i.baseline ? "baseline: " + i.baseline : "",
        i.target ? "target: " + i.target : ""])])];
    });
    section(dl, "Tags", e.tags.length ? [e.tags.join(", ")] : [], function (t) { return [t]; });
    section(dl, "Incoming links", incoming.get(id), function (l) { return linkItem(l, l.source); });
    section(dl, "Outgoing links", outgoing.get(id), function (l) { return linkItem(l, l.target); });
    section(dl, "Underpins", underpins.get(id), function (l) {
      return [elementButton(l.source), " \u2192 ", elementButton(l.target)];
    });
    section(dl, "Findings", findingsOn.get(id) || [], findingItem);
    var paths = h("button", null, ["Highlight pathways through this element"]);
    paths.type = "button";
    paths.id = "cm-paths";
    paths.setAttribute("aria-pressed", "false");
    paths.addEventListener("click", function () { highlight(id); });
    body.replaceChildren.apply(body, top.concat([h("div", "cm-details-bar", [paths]), dl]));
  }

  function select(id, from) {
    if (!elements.has(id)) { return; }
    if (selected !== null) { each(selected, function (n) { n.classList.remove("cm-selected"); }); }
    selected = id;
    origin = from || null;
    each(id, function (n) { n.classList.add("cm-selected"); });
    details(id);
    aside.hidden = false;
    heading.focus({ preventScroll: true });
    remember("#el=" + encodeURIComponent(id));
  }
  // The address names the selected element, so a link can open the page on it.
  function remember(hash) {
    try {
      history.replaceState(null, "", hash || location.pathname + location.search);
    } catch (error) { /* a viewer without history: nothing to remember */ }
  }
  function closeDetails() {
    aside.hidden = true;
    if (selected !== null) { each(selected, function (n) { n.classList.remove("cm-selected"); }); }
    selected = null;
    remember("");
    if (origin && document.contains(origin)) { origin.focus(); }
  }

  // ----------------------------------------------- pathways: linear time
  // Pathways run along causal links (feedback loops left out). Through a chain
  // element: everything up- and downstream of it. Through a context: the
  // pathways through what it moderates. Through an assumption: the pathways
  // through the links it underpins. Contexts moderating a lit element and
  // assumptions of a lit link are lit too.
  function causal(l) { return l.relation === "leads_to" && !l.feedback; }
  function highlight(id) {
    var e = elements.get(id);
    var upSeeds = [id];
    var downSeeds = [id];
    var links = [];
    if (e.kind === "context") {
      upSeeds = [];
      outgoing.get(id).forEach(function (l) {
        if (l.relation === "moderates") { upSeeds.push(l.target); links.push(l); }
      });
      downSeeds = upSeeds;
    } else if (e.kind === "assumption") {
      upSeeds = [];
      downSeeds = [];
      underpins.get(id).forEach(function (l) {
        upSeeds.push(l.source); downSeeds.push(l.target); links.push(l);
      });
    }
    var up = closure(upSeeds, incoming, "source");
    var down = closure(downSeeds, outgoing, "target");
    var on = new Set([id]);
    up.forEach(function (x) { on.add(x); });
    down.forEach(function (x) { on.add(x); });
    data.links.forEach(function (l) {
      if (causal(l) && (up.has(l.source) && up.has(l.target) ||
          down.has(l.source) && down.has(l.target))) {
        links.push(l);
      }
    });
    var extra = [];
    links.forEach(function (l) { l.assumptions.forEach(function (a) { extra.push(a); }); });
    data.links.forEach(function (l) {
      if (l.relation === "moderates" && on.has(l.target)) { extra.push(l.source); links.push(l); }
    });
    extra.forEach(function (x) { if (elements.has(x)) { on.add(x); } });
    clearHighlight(true);
    scopes.forEach(function (n) { n.classList.add("cm-paths"); });
    on.forEach(function (x) { eachScoped(x, function (n) { n.classList.add("cm-on"); }); });
    links.forEach(function (l) {
      var v = linkViews.get(l.index);
      if (v) { v.classList.add("cm-on"); }
    });
    var button = document.getElementById("cm-paths");
    if (button) { button.setAttribute("aria-pressed", "true"); }
    status.textContent = "Pathways through " + label(id) + ": " + on.size + " elements highlighted.";
  }
  // The seeds and everything reachable from them: each link is looked at once.
  function closure(seeds, adjacency, end) {
    var seen = new Set(seeds);
    var stack = seeds.slice();
    while (stack.length) {
      adjacency.get(stack.pop()).forEach(function (l) {
        var next = l[end];
        if (causal(l) && !seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      });
    }
    return seen;
  }
  // A feedback loop: its elements and links, in every scope.
  function highlightLoop(i) {
    var loop = data.loops[i];
    if (!loop) { return; }
    clearHighlight(true);
    scopes.forEach(function (n) { n.classList.add("cm-paths"); });
    loop.elements.forEach(function (x) { eachScoped(x, function (n) { n.classList.add("cm-on"); }); });
    loop.links.forEach(function (k) {
      var v = linkViews.get(k);
      if (v) { v.classList.add("cm-on"); }
    });
    document.querySelectorAll("[data-loop]").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-loop") === String(i) ? "true" : "false");
    });
    status.textContent = "Loop " + loop.name + " (" + loop.polarity + "): " +
      loop.elements.length + " elements highlighted.";
  }
  function clearHighlight(quiet) {
    scopes.forEach(function (n) { n.classList.remove("cm-paths"); });
    var button = document.getElementById("cm-paths");
    if (button) { button.setAttribute("aria-pressed", "false"); }
    document.querySelectorAll("[data-loop], [data-config-highlight]").forEach(function (b) {
      b.setAttribute("aria-pressed", "false");
    });
    document.querySelectorAll(".cm-on").forEach(function (n) { n.classList.remove("cm-on"); });
    if (!quiet) { status.textContent = "Highlight cleared."; }
  }

  // ------------------------------------------------------ configurations
  // Highlighting a configuration lights its elements and the links it asserts
  // in every scope and dims the rest; pressing its button again clears it.
  // The table's filter shows the rows of one status, or whose text holds
  // every word typed.
  var configurations = data.configurations || {};
  function highlightConfiguration(id) {
    var config = configurations[id];
    if (!config) { return; }
    var pressed = document.querySelector('[data-config-highlight][aria-pressed="true"]');
    if (pressed && pressed.getAttribute("data-config-highlight") === id) {
      clearHighlight(false);
      return;
    }
    clearHighlight(true);
    scopes.forEach(function (n) { n.classList.add("cm-paths"); });
    config.elements.forEach(function (x) { eachScoped(x, function (n) { n.classList.add("cm-on"); }); });
    config.links.forEach(function (k) {
      var v = linkViews.get(k);
      if (v) { v.classList.add("cm-on"); }
    });
    document.querySelectorAll("[data-config-highlight]").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-config-highlight") === id ? "true" : "false");
    });
    var row = document.querySelector('tr[data-config="' + CSS.escape(id) + '"]');
    if (row) { row.classList.add("cm-on"); }
    var n = config.elements.length;
    status.textContent = "Configuration " + id + " (" + config.status + "): " + n +
      (n === 1 ? " element" : " elements") + " highlighted.";
  }
  var configRows = document.querySelectorAll("tr[data-config]");
  var configStatus = document.getElementById("cm-config-status");
  var configText = document.getElementById("cm-config-text");
  var configCount = document.getElementById("cm-config-count");
  function filterConfigurations() {
    var wanted = configStatus.value;
    var words = configText.value.toLowerCase().split(/\s+/).filter(function (w) { return w; });
    var shown = 0;
    configRows.forEach(function (row) {
      var text = row.textContent.toLowerCase();
      var match = (!wanted || row.getAttribute("data-status") === wanted) &&
        words.every(function (w) { return text.indexOf(w) !== -1; });
      row.hidden = !match;
      if (match) { shown += 1; }
    });
    configCount.textContent = shown + " of " + configRows.length +
      (configRows.length === 1 ? " configuration" : " configurations") + " shown.";
  }
  if (configStatus && configText && configCount) {
    configStatus.addEventListener("change", filterConfigurations);
    configText.addEventListener("input", filterConfigurations);
  }

  // ------------------------------------------------------ filter, search
  var hiddenKinds = new Set();
  var query = [];
  function refresh() {
    var shown = 0;
    data.elements.forEach(function (e) {
      var text = haystack.get(e.id);
      var match = query.every(function (word) { return text.indexOf(word) !== -1; });
      var kindOff = hiddenKinds.has(e.kind);
      if (match && !kindOff) { shown += 1; }
      eachScoped(e.id, function (n) {
        n.classList.toggle("cm-filtered", kindOff);
        n.classList.toggle("cm-nomatch", query.length > 0 && !match);
        n.classList.toggle("cm-match", query.length > 0 && match);
        if (n.parentElement && n.parentElement.hasAttribute("data-index")) {
          n.parentElement.hidden = kindOff || !match;
        }
      });
    });
    data.links.forEach(function (l) {
      var v = linkViews.get(l.index);
      if (v) {
        v.classList.toggle("cm-filtered",
          hiddenKinds.has(elements.get(l.source).kind) || hiddenKinds.has(elements.get(l.target).kind));
      }
    });
    status.textContent = query.length || hiddenKinds.size
      ? shown + " of " + data.elements.length + " elements shown." : "";
  }
  var search = document.getElementById("cm-search");
  search.addEventListener("input", function () {
    query = search.value.toLowerCase().split(/\s+/).filter(function (w) { return w; });
    refresh();
  });
  document.querySelectorAll("input[data-kind]").forEach(function (box) {
    box.addEventListener("change", function () {
      var kind = box.getAttribute("data-kind");
      if (box.checked) { hiddenKinds.delete(kind); } else { hiddenKinds.add(kind); }
      refresh();
    });
  });

  // ------------------------------------------------------------- events
  document.addEventListener("click", function (event) {
    var loop = event.target.closest("[data-loop]");
    if (loop) { highlightLoop(Number(loop.getAttribute("data-loop"))); return; }
    var config = event.target.closest("[data-config-highlight]");
    if (config) { highlightConfiguration(config.getAttribute("data-config-highlight")); return; }
    var target = event.target.closest("[data-goto], [data-id]");
    if (!target) { return; }
    var id = target.getAttribute("data-goto") || target.getAttribute("data-id");
    select(id, target.hasAttribute("data-goto") ? null : target);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !aside.hidden) { closeDetails(); return; }
    var node = event.target.closest ? event.target.closest(".cm-node[data-id]") : null;
    if (node && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      select(node.getAttribute("data-id"), node);
    }
  });
  document.getElementById("cm-close").addEventListener("click", closeDetails);
  document.getElementById("cm-clear").addEventListener("click", function () { clearHighlight(false); });

  // -------------------------------------------------------- zoom and pan
  // The diagram fills the width of the page; the view is the SVG's viewBox.
  // The wheel zooms around the pointer, a drag moves the view, and in the
  // diagram + and - zoom, the arrow keys move and 0 shows the whole diagram.
  var box = document.getElementById("cm-svg");
  var svg = box ? box.querySelector("svg") : null;
  var whole = svg ? (svg.getAttribute("viewBox") || "").split(/[\s,]+/).map(Number) : [];
  if (svg && whole.length === 4 && whole.every(isFinite) && whole[2] > 0 && whole[3] > 0) {
    var view = whole.slice();
    var zoomText = document.getElementById("cm-zoom");
    var MIN = 0.5;
    var MAX = 16;
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    var showView = function () {
      svg.setAttribute("viewBox", view.join(" "));
      var scale = whole[2] / view[2];
      box.setAttribute("data-zoom", scale.toFixed(4));
      if (zoomText) { zoomText.textContent = Math.round(scale * 100) + "%"; }
    };
    // Screen pixels per diagram unit, and a screen point in diagram units.
    var ratio = function () { var m = svg.getScreenCTM(); return m ? m.a : 1; };
    var toDiagram = function (x, y) {
      var m = svg.getScreenCTM();
      if (!m) { return [view[0] + view[2] / 2, view[1] + view[3] / 2]; }
      var p = new DOMPoint(x, y).matrixTransform(m.inverse());
      return [p.x, p.y];
    };
    var zoomBy = function (factor, x, y) {
      var scale = whole[2] / (view[2] / factor);
      if (scale < MIN) { factor = MIN * view[2] / whole[2]; }
      if (scale > MAX) { factor = MAX * view[2] / whole[2]; }
      var rect = box.getBoundingClientRect();
      var at = toDiagram(x === undefined ? rect.left + rect.width / 2 : x,
        y === undefined ? rect.top + rect.height / 2 : y);
      view = [at[0] - (at[0] - view[0]) / factor, at[1] - (at[1] - view[1]) / factor,
        view[2] / factor, view[3] / factor];
      showView();
    };
    var moveBy = function (dx, dy) {
      var r = ratio();
      view[0] -= dx / r;
      view[1] -= dy / r;
      showView();
    };
    var reset = function () { view = whole.slice(); showView(); };
    box.addEventListener("wheel", function (event) {
      event.preventDefault();
      var step = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
      zoomBy(Math.exp(-step / 500), event.clientX, event.clientY);
    }, { passive: false });
    var drag = null;
    // The click that ends a drag selects nothing.
    var swallow = function (event) { event.stopPropagation(); };
    box.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) { return; }
      box.removeEventListener("click", swallow, true);
      drag = { x: event.clientX, y: event.clientY, moved: false, id: event.pointerId };
    });
    box.addEventListener("pointermove", function (event) {
      if (!drag || drag.id !== event.pointerId) { return; }
      var dx = event.clientX - drag.x;
      var dy = event.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) { return; }
      if (!drag.moved) { drag.moved = true; box.setPointerCapture(event.pointerId); }
      box.classList.add("cm-dragging");
      drag.x = event.clientX;
      drag.y = event.clientY;
      moveBy(dx, dy);
    });
    var endDrag = function (event) {
      if (!drag || drag.id !== event.pointerId) { return; }
      box.classList.remove("cm-dragging");
      if (drag.moved) { box.addEventListener("click", swallow, { capture: true, once: true }); }
      drag = null;
    };
    box.addEventListener("pointerup", endDrag);
    box.addEventListener("pointercancel", endDrag);
    box.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) { return; }
      var step = 60;
      var keys = {
        "+": function () { zoomBy(1.25); },
        "=": function () { zoomBy(1.25); },
        "-": function () { zoomBy(0.8); },
        "_": function () { zoomBy(0.8); },
        "0": reset,
        ArrowLeft: function () { moveBy(step, 0); },
        ArrowRight: function () { moveBy(-step, 0); },
        ArrowUp: function () { moveBy(0, step); },
        ArrowDown: function () { moveBy(0, -step); }
      };
      if (Object.prototype.hasOwnProperty.call(keys, event.key)) {
        event.preventDefault();
        keys[event.key]();
      }
    });
    document.getElementById("cm-zoom-in").addEventListener("click", function () { zoomBy(1.25); });
    document.getElementById("cm-zoom-out").addEventListener("click", function () { zoomBy(0.8); });
    document.getElementById("cm-reset").addEventListener("click", reset);
    showView();
  }
  function followAddress() {
    if (location.hash.indexOf("#el=") === 0) {
      try {
        select(decodeURIComponent(location.hash.slice(4)), null);
      } catch (error) { /* not an address this page wrote */ }
    }
  }
  window.addEventListener("hashchange", followAddress);
  followAddress();
  document.body.classList.add("cm-ready");
  if (window.performance && performance.mark) { performance.mark("cm-ready"); }
})();
