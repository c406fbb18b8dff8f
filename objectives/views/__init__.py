"""The HTML pages: public progress pages, the field pages, the dashboard and its exports."""
