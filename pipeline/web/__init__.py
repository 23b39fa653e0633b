"""The target database on the web: a JSON API and server-rendered pages (`chitieu serve`), and the
same document view as one static HTML file (`chitieu show`).

    from pipeline.web.app import Settings, create_app     # needs the web extra: FastAPI, uvicorn
    from pipeline.web.report import report_html           # Jinja2 only
"""
