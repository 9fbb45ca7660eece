"""Presenter tools: shareable charts (registry), state in the address, embed mode, image and
data downloads, and the offline briefing pack.

One place per concern:

* ``view``      — the ``ChartView`` / ``Param`` / ``ChartSpec`` records;
* ``validate``  — checking address values against the database, and showing them safely;
* ``registry``  — every shareable chart: id, title, parameters, params → ChartView;
* ``sources``   — the source rows (publisher, title, address, retrieved) behind a chart;
* ``links``     — permalinks, embed addresses and the iframe snippet;
* ``export``    — PNG/SVG (kaleido + system Chromium) and CSV bytes;
* ``briefing``  — the self-contained HTML pack and the PNG set;
* ``pack``      — the briefing pack's entries, as in the address;
* ``urlstate``, ``render``, ``embed`` — the Streamlit side (pages call these): ``render`` draws
  every figure and table and the 'database missing' page. Nothing else here imports Streamlit
  (tests/test_db.py checks), so the export CLI runs without it.
"""
