"""Server-side SVG charts: well-formed, scaled to the data, accessible, text escaped, no inline style/script."""

import xml.etree.ElementTree as ET

from compliance_app.charts import bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_bar_chart_scales_bars_to_the_maximum():
    svg = bar_chart([("DINKES", [66.7]), ("DPUPR", [33.3]), ("DLHK", [None])], title="Tepat waktu",
                    series=["Tepat waktu"], unit="%", max_value=100)
    root = ET.fromstring(svg)
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert len(widths) == 2  # no bar for a missing value
    assert abs(widths[0] / widths[1] - 66.7 / 33.3) < 0.01
    assert root.find(f"{SVG}title").text == "Tepat waktu"
    assert "DINKES: Tepat waktu 66.7%" in root.find(f"{SVG}desc").text
    assert root.get("role") == "img"


def test_chart_text_is_escaped_and_carries_no_style_or_script():
    svg = bar_chart([("<script>x</script>", [1, 2])], title="a & b", series=["s1", "s2"])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "style=" not in svg
    ET.fromstring(svg)  # well-formed


def test_line_chart_points_follow_the_values():
    svg = line_chart(["01", "02", "03"], [("Diterima", [0, 10, 5]), ("Dijawab", [0, 5, 10])], title="Per bulan")
    root = ET.fromstring(svg)
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 2
    ys = [float(p.split(",")[1]) for p in lines[0].get("points").split()]
    assert ys[1] < ys[2] < ys[0]  # 10 drawn highest, 0 lowest
    assert lines[1].get("stroke-dasharray")  # the second series is told apart without colour too
    assert len(list(root.iter(f"{SVG}circle"))) == 6


def test_empty_series_do_not_divide_by_zero():
    ET.fromstring(line_chart(["01"], [("x", [0])], title="t"))
    ET.fromstring(bar_chart([], title="t", series=["x"]))
