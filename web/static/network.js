// Klusterkarta network graph: draws the network API's nodes and edges with
// Cytoscape, with search and focus. The page works without it: the table
// below the graph lists the same nodes and links.
(function () {
  "use strict";

  var container = document.getElementById("graph");
  if (!container || typeof window.cytoscape !== "function") {
    return;
  }

  // Colours per node kind; the legend swatches in style.css use the same.
  var colours = {
    cluster: "#1e5631",
    topic: "#b34700",
    organisation: "#0b4f8a",
    project: "#6a3d9a",
    event: "#a6192e",
    person: "#4a524c",
    county: "#7a5c00"
  };
  var shapes = {
    cluster: "ellipse",
    topic: "round-rectangle",
    organisation: "diamond",
    project: "hexagon",
    event: "triangle",
    person: "ellipse",
    county: "rectangle"
  };

  var tools = document.getElementById("graph-tools");
  var search = document.getElementById("node-search");
  var reset = document.getElementById("graph-reset");
  var status = document.getElementById("graph-focus");

  function size(n) {
    return 18 + Math.min(42, 6 * Math.sqrt(n.weight || n.degree || 1));
  }

  function draw(data) {
    var elements = [];
    data.nodes.forEach(function (n) {
      elements.push({
        group: "nodes",
        data: { id: n.id, label: n.name, kind: n.kind, url: n.url || "", size: size(n), colour: colours[n.kind] || "#4a524c", shape: shapes[n.kind] || "ellipse" }
      });
    });
    data.edges.forEach(function (e, i) {
      elements.push({
        group: "edges",
        data: { id: "e" + i, source: e.source, target: e.target, rel: e.rel, width: 1 + Math.min(6, Math.log2(1 + e.weight)) }
      });
    });
    container.textContent = "";
    var cy = window.cytoscape({
      container: container,
      elements: elements,
      wheelSensitivity: 0.3,
      style: [
        { selector: "node", style: {
          "background-color": "data(colour)", "shape": "data(shape)", "width": "data(size)", "height": "data(size)",
          "label": "data(label)", "font-size": 11, "color": "#1b1f1c", "text-valign": "bottom", "text-margin-y": 3,
          "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 1
        } },
        { selector: "edge", style: { "width": "data(width)", "line-color": "#9aa59c", "curve-style": "bezier", "opacity": 0.8 } },
        { selector: ".faded", style: { "opacity": 0.12 } },
        { selector: "node.focus", style: { "border-width": 4, "border-color": "#b34700" } }
      ],
      layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 9000, idealEdgeLength: 90, padding: 20 }
    });

    function focus(node) {
      cy.elements().removeClass("faded focus");
      var hood = node.closedNeighborhood();
      cy.elements().not(hood).addClass("faded");
      node.addClass("focus");
      cy.animate({ fit: { eles: hood, padding: 40 } }, { duration: 250 });
      var names = node.neighborhood("node").map(function (n) { return n.data("label"); });
      status.textContent = node.data("label") + ": " + names.join(", ");
      container.setAttribute("data-focus", node.id());
    }

    function clear() {
      cy.elements().removeClass("faded focus");
      cy.fit(undefined, 20);
      status.textContent = "";
      container.removeAttribute("data-focus");
    }

    cy.on("tap", "node", function (evt) { focus(evt.target); });
    cy.on("dbltap", "node", function (evt) {
      var url = evt.target.data("url");
      if (url) { window.location.href = url; }
    });
    cy.on("tap", function (evt) { if (evt.target === cy) { clear(); } });

    function find() {
      var q = search.value.trim().toLowerCase();
      if (!q) { clear(); return; }
      var hit = cy.nodes().filter(function (n) { return n.data("label").toLowerCase() === q; });
      if (hit.empty()) {
        hit = cy.nodes().filter(function (n) { return n.data("label").toLowerCase().indexOf(q) >= 0; });
      }
      if (!hit.empty()) { focus(hit[0]); }
    }
    search.addEventListener("change", find);
    search.addEventListener("keydown", function (evt) {
      if (evt.key === "Enter") { evt.preventDefault(); find(); }
    });
    reset.addEventListener("click", function () { search.value = ""; clear(); });

    tools.hidden = false;
    container.setAttribute("data-nodes", String(cy.nodes().length));
    container.setAttribute("data-edges", String(cy.edges().length));
    container.setAttribute("data-ready", "true");
    window.klusterkartaGraph = cy;
  }

  fetch(container.getAttribute("data-src"), { headers: { "Accept": "application/json" } })
    .then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    })
    .then(draw)
    .catch(function (err) {
      container.setAttribute("data-error", String(err));
    });
})();
