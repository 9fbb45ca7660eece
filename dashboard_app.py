"""The dashboard as the server runs it: ``dashboard.py`` as an ``st.App``, whose index page
carries preload hints for the first view (trafficking/preload.py). ``trafficking.serve``
(``make run``, the deployment) starts this file; tests run ``dashboard.py`` itself."""

import streamlit as st
from starlette.middleware import Middleware

from trafficking.preload import Preload

app = st.App("dashboard.py", middleware=[Middleware(Preload)])
