def test_the_lead_time_axis_reads_in_hours_or_days_not_scientific_notation():
    from gates.report.html import bar_chart, hours_tick

    svg = bar_chart("c", "t", ["w1", "w2"], [("median", [37000.0, 12.0], "#000")], axis=hours_tick)
    assert "e+" not in svg
    assert ">1542 d<" in svg  # the peak, 37000 hours, in days
    assert hours_tick(6.0, 20.0) == "6 h"
    assert hours_tick(72.0, 96.0) == "3 d"
