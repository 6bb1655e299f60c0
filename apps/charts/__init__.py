"""Chart specifications shared by the dashboard and the rakor report.

The dashboard draws these Altair charts in the browser; the report renders the very same
specifications offline with vl-convert (``apps/report/render.py``). Nothing here imports
Streamlit or opens the warehouse: functions take data frames already read and the reader's
language, and return a chart, so both readers call one code path.
"""
