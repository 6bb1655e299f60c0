"""Unduh: each mart as CSV for the chosen quarter, and one OPD's Permendagri 86 evaluation form."""

from __future__ import annotations

from functools import partial

import streamlit as st

from apps.report import media_type
from apps.spreadsheets.export import form_file_name
from apps.streamlit import formatting as fmt
from apps.streamlit import queries
from apps.streamlit.ui import quarter_label, require_data, t, url_choice
from domain.errors import MonevError

current = require_data()
lang, quarter = current.lang, current.quarter or ""
warehouse = current.warehouse
assert warehouse is not None
st.title(t("page_unduh"))

counts = queries.mart_row_counts(warehouse, quarter)
kpis = st.columns(2)
kpis[0].metric(t("kpi_marts"), fmt.format_number(len(counts), 0, lang), border=True)
kpis[1].metric(
    t("kpi_rows", quarter=quarter_label(quarter)),
    fmt.format_number(sum(counts.values()), 0, lang),
    border=True,
)

st.subheader(t("unduh_report"))
st.caption(t("unduh_report_note"))
report_columns = st.columns(2)
for column, kind, icon in zip(
    report_columns,
    ("pdf", "docx"),
    (":material/picture_as_pdf:", ":material/description:"),
    strict=True,
):
    # Built when clicked (a few seconds), then cached for this publish of the warehouse.
    column.download_button(
        t("report_button", format=kind.upper()),
        data=partial(queries.rakor_report, warehouse, quarter, kind),
        file_name=f"laporan-rakor-{quarter}.{kind}",
        mime=media_type(kind),  # type: ignore[arg-type]
        icon=icon,
        type="primary" if kind == "pdf" else "secondary",
        key=f"download_report_{kind}",
        on_click="ignore",
    )

st.subheader(t("unduh_xlsx"))
st.caption(t("unduh_xlsx_note"))
opds = queries.opds(warehouse)
names = dict(zip(opds["opd_code"], opds["opd_name"], strict=True))
own = current.visitor.opd_code
opd = url_choice(
    t("choose_opd"),
    list(opds["opd_code"]),
    "opd",
    default=own if own in names else None,
    format_func=lambda code: f"{code} — {names.get(code, '')}",
)
if opd:
    try:
        workbook = queries.evaluation_form(warehouse, str(opd), quarter)
    except (MonevError, queries.WarehouseError) as error:
        st.warning(t("xlsx_unavailable", error=error))
    else:
        st.download_button(
            t("xlsx_button", opd=opd, quarter=quarter_label(quarter)),
            data=workbook,
            file_name=form_file_name(str(opd), quarter),
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/table_view:",
            type="primary",
            key="download_form",
            on_click="ignore",
        )

st.subheader(t("unduh_csv", quarter=quarter_label(quarter)))
st.caption(t("unduh_csv_note"))
columns = st.columns(3)
for index, mart in enumerate(queries.MARTS):
    place = columns[index % 3].container(border=True)
    place.markdown(f"**marts.{mart}**")
    place.caption(t("rows", rows=fmt.format_number(counts.get(mart, 0), 0, lang)))
    suffix = f"-{quarter}" if mart.endswith("_quarter") else ""
    place.download_button(
        t("download") + " CSV",
        data=partial(queries.mart_csv, warehouse, mart, quarter),
        file_name=f"{mart}{suffix}.csv",
        mime="text/csv",
        icon=":material/download:",
        key=f"download_{mart}",
        on_click="ignore",
    )
