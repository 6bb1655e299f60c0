"""What `monev dashboard` serves: the Streamlit app plus the sign-in routes of ``account.py``.

``streamlit run`` finds the ``st.App`` below and serves it with uvicorn, with the same command
line flags as a plain script (``apps/dashboard_server.py``).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from apps.streamlit.account import routes

app = st.App(Path(__file__).with_name("app.py"), routes=routes())
