"""Charts: Vega-Lite specs built on the server, drawn by mitra/static/mitra/charts.js
(CSP-safe: the spec travels as a json_script, the interpreter replaces Function())."""


def bar_spec(title, pairs, line=False):
    """A Vega-Lite spec for (label, count) pairs; rendered by
    mitra/charts.js in any `<div class="vega-chart" data-spec="<json_script id>">`."""
    data = [{"label": str(label), "count": n} for label, n in pairs]
    if line:
        return {
            "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "width": "container",
            "height": 220,
            "data": {"values": data},
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": {
                    "field": "label",
                    "type": "ordinal",
                    "sort": None,
                    "title": None,
                    "axis": {"labelAngle": -40},
                },
                "y": {
                    "field": "count",
                    "type": "quantitative",
                    "title": None,
                    "axis": {"format": "d", "tickMinStep": 1},
                },
                "tooltip": [{"field": "label"}, {"field": "count"}],
            },
        }
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": "container",
        "height": {"step": 28},
        "data": {"values": data},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "y": {"field": "label", "type": "nominal", "sort": "-x", "title": None},
            "x": {
                "field": "count",
                "type": "quantitative",
                "title": None,
                "axis": {"format": "d", "tickMinStep": 1},
            },
        },
    }
