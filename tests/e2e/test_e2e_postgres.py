"""The browser's main flows of test_e2e_browser.py on PostgreSQL: load and switch filters, register a contact
over WhatsApp (row green, cancel), saved filters, the PDF, search with export and print, two tabs.

The same test functions run here against one Voila server (for the whole module) whose COBRANCA_DB is a
throwaway PostgreSQL database: importing them makes pytest collect them in this module, where `server` below
replaces test_e2e_browser's DuckDB one. The rest of that file (layout, keyboard, culling…) does not depend on
the engine and runs on DuckDB only, keeping the suite's time in check.
"""

from __future__ import annotations

import pytest
from support.browser import require_chromium, serve_dashboard
from support.e2e_helpers import build_known_db
from test_e2e_browser import (  # noqa: F401 - collected here, on PostgreSQL (tests/e2e is on sys.path)
    test_filter_create_edit_delete,
    test_page_loads_and_filter_switch,
    test_print_downloads_a_pdf_that_opens,
    test_search_filters_grid_counts_export_and_print_alike,
    test_two_tabs_see_each_other_after_refresh,
    test_whatsapp_opens_wa_me_records_on_confirmation_and_cancel_asks,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(pg_cluster, tmp_path_factory):
    """The dashboard on the known receivables in a PostgreSQL database; stopped after the module."""
    require_chromium()
    folder = tmp_path_factory.mktemp("e2e-postgres")
    url = pg_cluster.database()
    db = build_known_db(url)
    assert db.engine == "postgres"
    with serve_dashboard(folder, url) as page_url:
        yield {"url": page_url, "db_path": url, "folder": folder}
