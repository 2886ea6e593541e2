/* labournet network view.
 *
 * Reads the view's data from the JSON block #ln-data (never executed; its columns are
 * described in labournet/views/_page.py), draws it with vis-network and builds the legend,
 * filters and tooltips from DOM nodes whose text is set with textContent: data never reaches
 * innerHTML, so names and claims always show as text. When anything drawn is dated, a date
 * control shows the network as of a chosen day (the snapshot rule, in inSnapshot below).
 * window.labournet exposes the network and a few helpers for tests and curious readers.
 */
(function () {
  "use strict";

  var state = { ready: false, firstDrawMs: null, readyMs: null, errors: [] };
  window.addEventListener("error", function (event) {
    state.errors.push(String(event.message));
  });

  var timings = { start: performance.now() };
  state.timings = timings;
  var data = JSON.parse(document.getElementById("ln-data").textContent);
  timings.parsed = performance.now();
  var side = document.getElementById("ln-side");
  var container = document.getElementById("ln-network");
  var tooltip = document.getElementById("ln-tooltip");
  var SVG = "http://www.w3.org/2000/svg";
  var EMPTY = [];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeUrl(url) {
    return /^https?:\/\//i.test(url || "") ? url : null;
  }

  function assign(target, extra) {
    Object.keys(extra).forEach(function (key) {
      var value = extra[key];
      if (value && typeof value === "object" && !Array.isArray(value) &&
          target[key] && typeof target[key] === "object") {
        assign(target[key], value);
      } else {
        target[key] = value;
      }
    });
    return target;
  }

  /* a kind's full colour object: vis-network does not merge a node's partial colour with its
     group's, so marked nodes start from this and override parts */
  function kindColour(kind) {
    var colour = data.styles.node[kind].color;
    return {
      background: colour,
      border: "#333333",
      highlight: { background: colour, border: "#000000" },
      hover: { background: colour, border: "#000000" }
    };
  }

  /* ---- items for vis-network, from the columns ------------------------------------------ */

  var N = data.nodes;
  var E = data.edges;
  var nodeKinds = data.kinds.node;
  var edgeKinds = data.kinds.edge;
  /* vis-network keys its items by id in plain objects, so an entity called "constructor" or
     "length" would collide with JavaScript's own properties: items are known to vis-network by
     their index (nodes) and groups by the kind's index; ids and kinds stay in our Maps. */
  var indexOf = new Map();
  var nodeItems = new Array(N.id.length);
  for (var i = 0; i < N.id.length; i++) {
    indexOf.set(N.id[i], i);
    var kindName = nodeKinds[N.kind[i]];
    var node = { id: i, label: N.label[i], group: "k" + N.kind[i], kind: kindName, size: N.size[i] };
    if (N.x) { node.x = N.x[i]; node.y = N.y[i]; }
    var extraNode = data.extra.nodes[i];
    if (extraNode && extraNode.style) {
      if (extraNode.style.color) node.color = kindColour(kindName);
      assign(node, extraNode.style);
    }
    nodeItems[i] = node;
  }

  /* a node's index from its entity id or its index */
  function nodeIndex(id) {
    return typeof id === "number" ? id : indexOf.get(String(id));
  }
  var edgeItems = new Array(E.from.length);
  for (var j = 0; j < E.from.length; j++) {
    var kind = edgeKinds[E.kind[j]];
    var edge = {
      id: j,
      from: E.from[j],
      to: E.to[j],
      kind: kind,
      color: { color: data.styles.edge[kind], highlight: "#000000", hover: "#000000" }
    };
    if (E.width[j]) edge.width = E.width[j];
    var extraEdge = data.extra.edges[j];
    if (extraEdge && extraEdge.style) assign(edge, extraEdge.style);
    edgeItems[j] = edge;
  }

  var figuresOf = [new Map(), new Map()];
  data.figures.at.forEach(function (at, row) {
    var table = figuresOf[at[0]];
    if (!table.has(at[1])) table.set(at[1], []);
    table.get(at[1]).push(row);
  });

  /* ---- legend shapes ---------------------------------------------------------------------- */

  function shapeIcon(shape, colour, size) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", size);
    svg.setAttribute("height", size);
    svg.setAttribute("viewBox", "0 0 20 20");
    svg.setAttribute("aria-hidden", "true");
    var item;
    var points = {
      square: "3,3 17,3 17,17 3,17",
      diamond: "10,1 19,10 10,19 1,10",
      triangle: "10,2 19,18 1,18",
      triangleDown: "1,2 19,2 10,18",
      star: "10,1 12.6,7.2 19,7.6 14,11.8 15.6,18.6 10,15 4.4,18.6 6,11.8 1,7.6 7.4,7.2",
      hexagon: "5,2 15,2 19,10 15,18 5,18 1,10"
    }[shape];
    if (points) {
      item = document.createElementNS(SVG, "polygon");
      item.setAttribute("points", points);
    } else {
      item = document.createElementNS(SVG, "circle");
      item.setAttribute("cx", "10");
      item.setAttribute("cy", "10");
      item.setAttribute("r", "8");
    }
    item.setAttribute("fill", colour);
    item.setAttribute("stroke", "#333");
    item.setAttribute("stroke-width", "1");
    svg.appendChild(item);
    return svg;
  }

  function lineIcon(colour, dashes) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "28");
    svg.setAttribute("height", "12");
    svg.setAttribute("viewBox", "0 0 28 12");
    svg.setAttribute("aria-hidden", "true");
    var line = document.createElementNS(SVG, "line");
    line.setAttribute("x1", "1");
    line.setAttribute("y1", "6");
    line.setAttribute("x2", "27");
    line.setAttribute("y2", "6");
    line.setAttribute("stroke", colour);
    line.setAttribute("stroke-width", "3");
    if (dashes) line.setAttribute("stroke-dasharray", dashes);
    svg.appendChild(line);
    return svg;
  }

  /* ---- time: the snapshot as of a day -------------------------------------------------- */

  /* The snapshot rule of labournet.model.dates, and the page's only copy of it: an item valid
     from `start` until `end` (ISO days: the first day of its valid_from or date, the last day of its
     valid_until; null for none) is in the snapshot as of the day `cutoff` when it has started
     by then and not ended before it. An undated item always is. ISO days compare as text. */
  function inSnapshot(start, end, cutoff) {
    return (start === null || start <= cutoff) && (end === null || end >= cutoff);
  }

  var D = data.dates;
  var asOf = null; /* the day shown, or null for all dates */
  var nodeIn = null; /* per node (edge) index, 1 when in the snapshot; null for all dates */
  var edgeIn = null;

  /* which nodes and edges are in the snapshot as of `cutoff`: an edge only when both its ends
     are, as Dataset.as_of keeps relations */
  function snapshot(cutoff) {
    var inNodes = new Uint8Array(N.id.length);
    for (var i = 0; i < inNodes.length; i++) {
      inNodes[i] = inSnapshot(D.nodes.start[i], D.nodes.end[i], cutoff) ? 1 : 0;
    }
    var inEdges = new Uint8Array(E.from.length);
    for (var j = 0; j < inEdges.length; j++) {
      inEdges[j] = inNodes[E.from[j]] && inNodes[E.to[j]] &&
        inSnapshot(D.edges.start[j], D.edges.end[j], cutoff) ? 1 : 0;
    }
    return { nodes: inNodes, edges: inEdges };
  }

  /* ---- filters ---------------------------------------------------------------------------- */

  var hiddenNodeKinds = new Set();
  var hiddenEdgeKinds = new Set();
  var nodes = new vis.DataSet(nodeItems);
  var edges = new vis.DataSet(edgeItems);
  var nodeView = new vis.DataView(nodes, {
    filter: function (item) {
      return !hiddenNodeKinds.has(item.kind) && (nodeIn === null || nodeIn[item.id] === 1);
    }
  });
  var edgeView = new vis.DataView(edges, {
    filter: function (item) {
      return !hiddenEdgeKinds.has(item.kind) && (edgeIn === null || edgeIn[item.id] === 1);
    }
  });
  var checkboxes = { node: new Map(), edge: new Map() };

  /* vis-network forgets where a node was when a filter takes it out: noting each drawn node's
     place in the data first brings it back there */
  function keepPositions() {
    if (!network) return;
    var positions = network.getPositions();
    var moved = [];
    Object.keys(positions).forEach(function (key) {
      var index = Number(key);
      var item = nodes.get(index);
      var x = Math.round(positions[key].x);
      var y = Math.round(positions[key].y);
      if (item && (item.x !== x || item.y !== y)) moved.push({ id: index, x: x, y: y });
    });
    if (moved.length) nodes.update(moved);
  }

  function setKindVisible(which, kind, visible) {
    var hidden = which === "edge" ? hiddenEdgeKinds : hiddenNodeKinds;
    if (visible) hidden.delete(kind); else hidden.add(kind);
    keepPositions();
    (which === "edge" ? edgeView : nodeView).refresh();
    var box = checkboxes[which].get(kind);
    if (box) box.checked = visible;
  }

  var dateControl = null;

  /* show the snapshot as of `day` (YYYY-MM-DD), or everything for null; false when the view
     has no dates or `day` is not a day */
  function setDate(day) {
    if (!D) return false;
    if (day !== null && !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(String(day))) return false;
    asOf = day === null ? null : String(day);
    var kept = asOf === null ? null : snapshot(asOf);
    keepPositions();
    nodeIn = kept && kept.nodes;
    edgeIn = kept && kept.edges;
    nodeView.refresh();
    edgeView.refresh();
    if (dateControl) dateControl.show();
    return true;
  }

  function kindRow(which, kind, count, icon) {
    var label = el("label", "ln-kind");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.addEventListener("change", function () { setKindVisible(which, kind, box.checked); });
    checkboxes[which].set(kind, box);
    label.appendChild(box);
    label.appendChild(icon);
    label.appendChild(el("span", "ln-kind-name", kind));
    label.appendChild(el("span", "ln-count", count.toLocaleString("en")));
    return label;
  }

  /* ---- side panel ------------------------------------------------------------------------- */

  function section(title, id) {
    var box = el("section", "ln-section");
    box.id = id;
    box.appendChild(el("h2", null, title));
    side.appendChild(box);
    return box;
  }

  function dayBefore(day) {
    var moment = new Date(day + "T00:00:00Z");
    moment.setUTCDate(moment.getUTCDate() - 1);
    return moment.toISOString().slice(0, 10);
  }

  function count(flags, total) {
    if (flags === null) return total;
    var sum = 0;
    for (var i = 0; i < flags.length; i++) sum += flags[i];
    return sum;
  }

  /* the date control: a slider over the days the snapshot changes (and the days before them),
     its last step all dates; a day field for any day; the measures in force on that day */
  function buildDates() {
    var box = section("Date", "ln-dates");
    /* step 0 is the day before the first change; the steps after it are the changes */
    var steps = [dayBefore(D.changes[0])].concat(D.changes);
    var shown = el("output", "ln-date-shown");
    shown.id = "ln-date-shown";
    shown.setAttribute("aria-live", "polite");
    box.appendChild(shown);

    var sliderLabel = el("label", "ln-date-label", "Snapshot date");
    sliderLabel.htmlFor = "ln-date-range";
    box.appendChild(sliderLabel);
    var slider = el("input");
    slider.type = "range";
    slider.id = "ln-date-range";
    slider.min = "0";
    slider.max = String(steps.length);
    slider.step = "1";
    slider.setAttribute("aria-describedby", "ln-date-hint");
    slider.addEventListener("input", function () {
      var step = Number(slider.value);
      setDate(step >= steps.length ? null : steps[step]);
    });
    box.appendChild(slider);

    var row = el("div", "ln-date-row");
    var dayLabel = el("label", "ln-date-label", "Day");
    dayLabel.htmlFor = "ln-date-day";
    var day = el("input");
    day.type = "date";
    day.id = "ln-date-day";
    day.addEventListener("change", function () { setDate(day.value || null); });
    var all = el("button", "ln-date-all", "All dates");
    all.type = "button";
    all.addEventListener("click", function () { setDate(null); });
    row.appendChild(dayLabel);
    row.appendChild(day);
    row.appendChild(all);
    box.appendChild(row);
    var hint = el("p", "ln-hint", "Steps: the days on which something starts or ends; " +
      "the last step shows all dates. Arrow keys move the slider.");
    hint.id = "ln-date-hint";
    box.appendChild(hint);
    var counts = el("p", "ln-hint");
    counts.id = "ln-date-counts";
    box.appendChild(counts);

    var heading = el("h3", "ln-date-measures");
    box.appendChild(heading);
    var list = el("ul", "ln-list");
    list.id = "ln-measures";
    box.appendChild(list);
    var none = el("p", "ln-hint");
    box.appendChild(none);

    function position(cutoff) {
      if (cutoff === null) return steps.length;
      var at = 0;
      for (var s = 1; s < steps.length; s++) if (steps[s] <= cutoff) at = s;
      return at;
    }

    function validFor(index) {
      var start = D.nodes.start[index];
      var end = D.nodes.end[index];
      if (start && end) return start + " to " + end;
      if (start) return "from " + start;
      if (end) return "until " + end;
      return "undated";
    }

    dateControl = {
      show: function () {
        var label = asOf === null ? "All dates" : "As of " + asOf;
        shown.textContent = label;
        slider.value = String(position(asOf));
        slider.setAttribute("aria-valuetext", label);
        if (day.value !== (asOf || "")) day.value = asOf || "";
        counts.textContent = count(nodeIn, N.id.length).toLocaleString("en") + " of " +
          N.id.length.toLocaleString("en") + " entities and " +
          count(edgeIn, E.from.length).toLocaleString("en") + " of " +
          E.from.length.toLocaleString("en") + " relations";
        heading.textContent = asOf === null ? "Measures, all dates" : "Measures in force on ";
        if (asOf !== null) heading.appendChild(el("span", "ln-nowrap", asOf));
        var rows = D.measures.filter(function (i) { return nodeIn === null || nodeIn[i]; });
        list.replaceChildren();
        rows.forEach(function (index) {
          var item = el("li");
          var button = el("button", "ln-link", data.nodeInfo.name[index]);
          button.type = "button";
          button.addEventListener("click", function () { focusNode(index); });
          item.appendChild(button);
          item.appendChild(el("span", "ln-muted ln-valid", " " + validFor(index)));
          list.appendChild(item);
        });
        none.textContent = rows.length ? "" : D.measures.length ?
          "No measure in force on this day." : "No measures in this view.";
        none.hidden = rows.length > 0;
      }
    };
    dateControl.show();
  }

  function buildSide() {
    var legend = data.legend;
    if (D) buildDates();
    var entities = section("Entities", "ln-legend-nodes");
    legend.nodeKinds.forEach(function (entry) {
      var style = data.styles.node[entry[0]];
      entities.appendChild(kindRow("node", entry[0], entry[1],
        shapeIcon(style.shape, style.color, 16)));
    });
    entities.appendChild(el("p", "ln-hint", legend.size));

    var relations = section("Relations", "ln-legend-edges");
    legend.edgeKinds.forEach(function (entry) {
      relations.appendChild(kindRow("edge", entry[0], entry[1],
        lineIcon(data.styles.edge[entry[0]])));
    });
    legend.width.forEach(function (text) { relations.appendChild(el("p", "ln-hint", text)); });

    if (data.cut) {
      var cut = section("Scenario: cut", "ln-cut");
      var what = el("p", "ln-mark");
      what.appendChild(lineIcon("#B00020", "6,4"));
      what.appendChild(el("span", null, "cut: " + data.cut.requested.join(", ")));
      cut.appendChild(what);
      var lost = el("p", "ln-mark");
      lost.appendChild(lineIcon("rgba(160,160,160,0.7)", "2,5"));
      lost.appendChild(el("span", null,
        data.cut.disconnected.length + (data.cut.basis === "flows" ?
          " entities lose every flow of workers and money to " :
          " entities lose their link to ") + data.cut.regime +
        " (" + data.cut.cutEdges + " relations cut, " + data.cut.disconnectedEdges +
        " more lost)"));
      cut.appendChild(lost);
      var flows = data.cut.flows;
      if (flows && flows.revenue) {
        cut.appendChild(el("p", null, "Revenue cut: " + flows.revenue + "; lost net of the " +
          flows.substitution + " the regime re-routes: " + flows.net + ", " + flows.share +
          " of the total" + (flows.assumed ? " (rests on assumptions)" : "")));
        cut.appendChild(el("p", null, "Workers cut: " + flows.workers));
      } else if (flows && flows.error) {
        cut.appendChild(el("p", "ln-hint", "No flow figures for this cut: " + flows.error));
      }
      if (data.cut.disconnected.length) {
        var list = el("ul", "ln-list");
        data.cut.disconnected.forEach(function (name) { list.appendChild(el("li", null, name)); });
        cut.appendChild(list);
      }
    }

    if (data.top.items.length) {
      var by = data.top.by === "pressure_score" ? "pressure score" : data.top.by;
      var top = section((data.top.isTop ? "Top " + data.top.items.length + " by " :
        "Highest ") + by, "ln-top");
      var ranked = el("ol", "ln-list");
      data.top.items.forEach(function (item) {
        var row = el("li");
        var button = el("button", "ln-link", item[1]);
        button.type = "button";
        button.addEventListener("click", function () { focusNode(item[0]); });
        row.appendChild(button);
        row.appendChild(el("span", "ln-count", item[2]));
        ranked.appendChild(row);
      });
      top.appendChild(ranked);
    }

    var find = section("Find", "ln-find");
    var form = el("form");
    var input = el("input");
    input.type = "search";
    input.placeholder = "name or id";
    input.setAttribute("aria-label", "Find an entity by name or id");
    form.appendChild(input);
    var found = el("p", "ln-hint");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var query = input.value.trim().toLowerCase();
      if (!query) return;
      var names = data.nodeInfo.name;
      var match = -1;
      for (var k = 0; k < N.id.length && match < 0; k++) {
        if (N.id[k].toLowerCase() === query) match = k;
      }
      for (var m = 0; m < names.length && match < 0; m++) {
        if (names[m].toLowerCase().indexOf(query) >= 0) match = m;
      }
      found.textContent = match < 0 ? "No entity matches." : "";
      if (match >= 0) focusNode(match);
    });
    find.appendChild(form);
    find.appendChild(found);
  }

  /* ---- tooltips --------------------------------------------------------------------------- */

  function sourceLine(id) {
    var source = data.sources[id];
    var item = el("li");
    if (!source) {
      item.textContent = id;
      return item;
    }
    var text = [source.publisher, source.title].filter(Boolean).join(": ");
    if (source.date) text += " (" + source.date + ")";
    item.appendChild(el("span", null, text || id));
    var url = safeUrl(source.url);
    if (url) {
      item.appendChild(document.createTextNode(" "));
      var link = el("a", null, "link");
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      item.appendChild(link);
    } else if (source.url) {
      item.appendChild(el("span", "ln-muted", " " + source.url));
    }
    return item;
  }

  function figureList(rows) {
    var F = data.figures;
    var list = el("ul", "ln-figures");
    rows.forEach(function (row) {
      var assumed = F.assumptions[row].length > 0;
      var item = el("li", assumed ? "ln-assumed" : null, F.text[row]);
      if (F.claim[row]) item.title = F.claim[row];
      if (assumed) item.appendChild(el("span", "ln-flag", " rests on an assumption"));
      list.appendChild(item);
    });
    return list;
  }

  /* side 0 = node, 1 = edge; index into the node or edge columns */
  function provenance(box, side, index) {
    var info = side ? data.edgeInfo : data.nodeInfo;
    var rows = figuresOf[side].get(index) || EMPTY;
    var sources = new Set(info.sources[index]);
    var assumptions = new Set(info.assumptions[index]);
    rows.forEach(function (row) {
      data.figures.sources[row].forEach(function (id) { sources.add(id); });
      data.figures.assumptions[row].forEach(function (id) { assumptions.add(id); });
    });
    if (rows.length) {
      box.appendChild(el("h4", null, "Figures"));
      box.appendChild(figureList(rows));
    }
    if (side === 0) scoreTable(box, index);
    if (assumptions.size) {
      var listA = el("ul", "ln-sources");
      assumptions.forEach(function (id) {
        var assumption = data.assumptions[id];
        listA.appendChild(el("li", "ln-assumption",
          assumption ? "Assumption: " + assumption.statement : "Assumption " + id));
      });
      box.appendChild(listA);
    }
    if (sources.size) {
      box.appendChild(el("h4", null, "Sources"));
      var list = el("ul", "ln-sources");
      sources.forEach(function (id) { list.appendChild(sourceLine(id)); });
      box.appendChild(list);
    }
  }

  function number(value) {
    if (value === null || value === undefined) return "";
    return Math.abs(value) >= 1000 ? Math.round(value).toLocaleString("en") :
      String(Number(value.toPrecision(3)));
  }

  var LEVEL_PLURALS = {
    host: "hosts", sector: "sectors", intermediary: "intermediaries",
    placement: "placements", route: "routes"
  };

  function scoreTable(box, index) {
    var rows = [];
    data.scores.columns.forEach(function (column) {
      var value = column.values[index];
      if (value === null || value === undefined) return;
      var rank = "";
      if (column.counts && column.ranks[index] !== null && column.ranks[index] !== undefined) {
        // the analysis's rank within the candidate's level, as in the report
        rank = "rank " + column.ranks[index] + " of " + column.counts[index] + " " +
          LEVEL_PLURALS[column.levels[index]];
      } else if (column.ranks && column.ranks[index] !== null) {
        rank = "rank " + column.ranks[index] + " of " + column.count;
      }
      rows.push([column.name, number(value), rank]);
    });
    if (!rows.length) return;
    box.appendChild(el("h4", null, "Scores"));
    var table = el("table", "ln-scores");
    rows.forEach(function (row) {
      var tr = el("tr");
      row.forEach(function (cell) { tr.appendChild(el("td", null, cell)); });
      table.appendChild(tr);
    });
    box.appendChild(table);
  }

  function extras(box, extra) {
    if (!extra) return;
    (extra.marks || EMPTY).forEach(function (mark) {
      box.appendChild(el("p", "ln-tip-mark", mark));
    });
  }

  function propertyLine(box, extra) {
    if (!extra || !extra.properties) return;
    box.appendChild(el("p", "ln-muted", extra.properties.map(function (p) {
      return p[0] + ": " + p[1];
    }).join(" · ")));
  }

  function nodeTooltip(id) {
    var index = nodeIndex(id);
    var box = el("div", "ln-tip");
    if (index === undefined) return box;
    var info = data.nodeInfo;
    var extra = data.extra.nodes[index];
    box.appendChild(el("h3", "ln-tip-title", info.name[index]));
    box.appendChild(el("p", "ln-tip-kind", nodeKinds[N.kind[index]] + " · " + N.id[index]));
    extras(box, extra);
    if (info.description[index]) {
      box.appendChild(el("p", "ln-tip-text", info.description[index]));
    }
    propertyLine(box, extra);
    provenance(box, 0, index);
    return box;
  }

  function edgeTooltip(id) {
    var index = Number(id);
    var box = el("div", "ln-tip");
    if (!(index >= 0 && index < E.from.length)) return box;
    var extra = data.extra.edges[index];
    var names = data.nodeInfo.name;
    box.appendChild(el("h3", "ln-tip-title", names[E.from[index]] + " → " + names[E.to[index]]));
    box.appendChild(el("p", "ln-tip-kind", edgeKinds[E.kind[index]] + " · " + E.rid[index]));
    extras(box, extra);
    if (data.edgeInfo.claim[index]) {
      box.appendChild(el("p", "ln-tip-text", data.edgeInfo.claim[index]));
    }
    propertyLine(box, extra);
    provenance(box, 1, index);
    return box;
  }

  var pinned = false;

  function showTooltip(content, point) {
    tooltip.replaceChildren(content);
    tooltip.hidden = false;
    var bounds = container.getBoundingClientRect();
    var width = tooltip.offsetWidth;
    var height = tooltip.offsetHeight;
    var x = Math.min(point.x + 16, bounds.width - width - 8);
    var y = Math.min(point.y + 16, bounds.height - height - 8);
    tooltip.style.left = Math.max(8, x) + bounds.left + "px";
    tooltip.style.top = Math.max(8, y) + bounds.top + "px";
  }

  function hideTooltip() {
    pinned = false;
    tooltip.hidden = true;
    tooltip.replaceChildren();
  }

  /* ---- the network ------------------------------------------------------------------------ */

  /* the date the page opens at (export html --as-of); a precomputed layout is drawn there at
     once, a physics layout once laid out whole */
  var openAt = D && D.initial ? D.initial : null;
  if (openAt !== null && data.layout !== "physics") setDate(openAt);

  var options = data.options;
  options.groups = {};
  nodeKinds.forEach(function (kind, k) {
    options.groups["k" + k] = { shape: data.styles.node[kind].shape, color: kindColour(kind) };
  });
  timings.items = performance.now();
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  timings.network = performance.now();

  function domPoint(id) {
    var index = nodeIndex(id);
    var position = network.getPositions([index])[index];
    return position ? network.canvasToDOM(position) : { x: 20, y: 20 };
  }

  function focusNode(id) {
    var index = nodeIndex(id);
    if (index === undefined) return;
    pinned = true;
    if (nodeView.get(index) === null) { /* hidden by a filter: its tooltip, where it would be */
      showTooltip(nodeTooltip(index), { x: 20, y: 20 });
      return;
    }
    network.selectNodes([index]);
    network.focus(index, { scale: Math.max(network.getScale(), 1.2), animation: false });
    pinned = true;
    showTooltip(nodeTooltip(index), domPoint(index));
  }

  network.on("hoverNode", function (params) {
    if (!pinned) showTooltip(nodeTooltip(params.node), params.pointer.DOM);
  });
  network.on("hoverEdge", function (params) {
    if (!pinned) showTooltip(edgeTooltip(params.edge), params.pointer.DOM);
  });
  network.on("blurNode", function () { if (!pinned) hideTooltip(); });
  network.on("blurEdge", function () { if (!pinned) hideTooltip(); });
  network.on("dragStart", function () { if (!pinned) hideTooltip(); });
  network.on("click", function (params) {
    if (params.nodes.length) {
      pinned = true;
      showTooltip(nodeTooltip(params.nodes[0]), params.pointer.DOM);
    } else if (params.edges.length) {
      pinned = true;
      showTooltip(edgeTooltip(params.edges[0]), params.pointer.DOM);
    } else {
      hideTooltip();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hideTooltip();
  });

  function markReady() {
    if (state.ready) return;
    state.ready = true;
    state.readyMs = performance.now();
    document.body.setAttribute("data-ready", "true");
  }

  network.once("afterDrawing", function () {
    state.firstDrawMs = performance.now();
    if (data.layout !== "physics") markReady();
  });
  if (data.layout === "physics") {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit({ animation: false });
      /* laid out whole, so that every node has its place when a later date shows it */
      if (openAt !== null) setDate(openAt);
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  }

  buildSide();

  window.labournet = {
    data: data,
    network: network,
    nodes: nodes,
    edges: edges,
    node: function (id) { return nodes.get(nodeIndex(id)); },
    nodeView: nodeView,
    edgeView: edgeView,
    state: state,
    nodeTooltip: nodeTooltip,
    edgeTooltip: edgeTooltip,
    focusNode: focusNode,
    domPoint: domPoint,
    hideTooltip: hideTooltip,
    setKindVisible: setKindVisible,
    setDate: setDate,
    date: function () { return asOf; },
    inSnapshot: inSnapshot,
    visibleNodeIds: function () { return nodeView.getIds().map(function (i) { return N.id[i]; }); },
    visibleEdgeIds: function () { return edgeView.getIds(); },
    visibleRelationIds: function () {
      return edgeView.getIds().map(function (j) { return E.rid[j]; });
    }
  };
})();
