"""The explorer, for ``streamlit run app.py`` in a checkout: the page is ``linclass.ui.page``."""

from linclass.ui.page import main

main()
