"""The explorer, for ``linclass serve`` from an installed package: the page is ``linclass.ui.page``,
its static files (plotly.js, the plot component) are in ``static/`` beside this script."""

from linclass.ui.page import main

main()
