"""`cobranca dashboard`: serve the Voila dashboard on 127.0.0.1 (other hosts only with a token)."""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import sys
import tempfile
from pathlib import Path

from ..api import open_db
from ..core.errors import InputError
from .common import add_db_option

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
CHECKOUT = Path(__file__).resolve().parents[2]
# The page's Voila template ("cobranca": pt-BR loading screen, nothing from another host), found through JUPYTER_PATH.
TEMPLATES = Path(__file__).resolve().parents[1] / "dashboard" / "jupyter"
PAGE_TITLE = "Cobranças — painel"
# The notebook's two cells (notebooks/cobranca.ipynb): the widget tree is built before the request
# (a preheated kernel), "today" and the data are read after it.
NOTEBOOK_CELLS = (
    "from cobranca.dashboard import build_app, start_app\n\napp = build_app(start=False)\napp",
    "from voila.utils import wait_for_request\n\nwait_for_request()\nstart_app(app);",
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("dashboard")
    add_db_option(p)
    p.add_argument("--host", default="127.0.0.1", help="endereço de escuta (padrão 127.0.0.1: só este computador)")
    p.add_argument("--port", type=int, default=8866, help="porta (padrão 8866)")
    p.add_argument("--no-browser", dest="no_browser", action="store_true", help="não abre o navegador")
    p.add_argument("--token", help="token de acesso (padrão: COBRANCA_TOKEN; fora de 127.0.0.1, um aleatório)")
    p.set_defaults(func=cmd_dashboard)


def notebook_path() -> Path:
    """The checkout's notebook, or a generated copy when installed without the source tree."""
    path = CHECKOUT / "notebooks" / "cobranca.ipynb"
    if path.exists():
        return path
    import nbformat

    folder = Path(tempfile.mkdtemp(prefix="cobranca-"))
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in NOTEBOOK_CELLS]
    nb.metadata["title"] = PAGE_TITLE
    nbformat.write(nb, str(folder / "cobranca.ipynb"))
    return folder / "cobranca.ipynb"


def config_dir() -> Path | None:
    path = CHECKOUT / "voila"
    return path if (path / "voila.json").exists() else None


def _check_port(host: str, port: int) -> None:
    if not 1 <= port <= 65535:
        raise InputError(f"Porta inválida: {port}. Use um número entre 1 e 65535.")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise InputError(
                f"Não foi possível usar {host}:{port} ({exc.strerror}). A porta pode estar em uso por outro "
                "painel: use --port com outro número."
            ) from exc


# What voila/voila.json says about kernels, for installs without the source tree (see voila/README.md).
FALLBACK_CONFIG = [
    "--MappingKernelManager.cull_idle_timeout=900", "--MappingKernelManager.cull_interval=60",
    "--MappingKernelManager.cull_connected=False", "--VoilaConfiguration.show_tracebacks=False",
    "--VoilaConfiguration.preheat_kernel=True", "--VoilaConfiguration.default_pool_size=1",
    "--VoilaConfiguration.template=cobranca",
]


def use_page_template() -> None:
    """Let Voila (and nbconvert) find the "cobranca" template before their own."""
    paths = [str(TEMPLATES), *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep))]
    os.environ["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))


def voila_argv(host: str, port: int, open_browser: bool) -> list[str]:
    """Voila's arguments; also puts the page's template on JUPYTER_PATH (this process and its children)."""
    use_page_template()
    argv = [str(notebook_path()), f"--Voila.ip={host}", f"--Voila.port={port}",
            f"--Voila.open_browser={open_browser}"]
    folder = config_dir()
    argv += [f"--Voila.config_file_paths={folder}"] if folder is not None else FALLBACK_CONFIG
    return argv


def _prepare_database(target) -> str:
    """Create or migrate the database now (a pt-BR error if it cannot) and hand it to the kernels (one per tab)
    through COBRANCA_DB: the file's absolute path, or the PostgreSQL URL as given. Returns it without password."""
    db = open_db(target)
    db.schema_version()
    os.environ["COBRANCA_DB"] = str(db.path.resolve()) if db.path is not None else db.store.engine.url
    return db.location


def cmd_dashboard(args: argparse.Namespace) -> int:
    location = _prepare_database(getattr(args, "db", None))
    host = args.host.strip()
    _check_port(host, args.port)
    token = (args.token or os.environ.get("COBRANCA_TOKEN", "")).strip()
    if host not in LOCAL_HOSTS and not token:  # other machines can reach it: never without a token
        token = secrets.token_urlsafe(24)
    use_page_template()
    from traitlets.config import Config
    from voila.app import Voila

    config = Config()
    config.Voila.token = token
    shown_host = socket.gethostname() if host in ("0.0.0.0", "::") else (f"[{host}]" if ":" in host else host)
    print(f"Painel de cobranças em http://{shown_host}:{args.port}/" + (f"?token={token}" if token else ""),
          f"(banco: {location}). Ctrl+C para parar.", file=sys.stderr, flush=True)
    Voila.launch_instance(argv=voila_argv(host, args.port, not args.no_browser), config=config)
    return 0
