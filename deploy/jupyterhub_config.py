"""JupyterHub for the Carbon Audit Workbench: local OS users, PostgreSQL by peer
authentication, the supervisors' dashboard as a Hub-authenticated Voilà service.

Who is who comes from two OS groups (read when the Hub starts; restart it after
changing them):

- ``workbench-reviewers``: log in, get their own JupyterLab server running as their OS
  user (LocalProcessSpawner), whose findings connection is their own database role by
  peer authentication — so the database, not the kernel, decides what they may write
  (docs/deployment.md).  Each gets a working copy of the reviewer notebook in their home.
- ``workbench-supervisors``: log in and open the dashboard service at
  ``/services/dashboard/``; they hold no scope to start a server, and the spawner
  refuses them anyway.

Everything site-specific is an environment variable with a default (``WB_*`` below);
``deploy/setup-host.sh`` installs the pieces, ``deploy/README.md`` walks through it.
Run as root (the spawner becomes each user): ``jupyterhub -f deploy/jupyterhub_config.py``.
"""

import grp
import os
import pwd
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

PREFIX = Path(os.environ.get("WB_PREFIX", "/opt/carbon-audit-workbench"))
SOURCE = PREFIX / "src"
VENV_BIN = Path(sys.executable).parent
DATASET = os.environ.get("WB_DATASET", str(PREFIX / "data" / "dataset"))
RESULTS = os.environ.get("WB_RESULTS", str(PREFIX / "data" / "results"))
REVIEWER_CONFIG = os.environ.get("WB_CONFIG", str(PREFIX / "etc" / "workbench.toml"))
DASHBOARD_CONFIG = os.environ.get("WB_DASHBOARD_CONFIG", str(PREFIX / "etc" / "dashboard.toml"))
REVIEWERS = os.environ.get("WB_REVIEWERS_GROUP", "workbench-reviewers")
SUPERVISORS = os.environ.get("WB_SUPERVISORS_GROUP", "workbench-supervisors")
DASHBOARD_USER = os.environ.get("WB_DASHBOARD_USER", "wbdash")
STATE = Path(os.environ.get("WB_HUB_STATE", "/var/lib/carbon-audit-hub"))
DASHBOARD_PORT = int(os.environ.get("WB_DASHBOARD_SERVICE_PORT", "10101"))


def _members(group: str) -> set[str]:
    try:
        return set(grp.getgrnam(group).gr_mem)
    except KeyError:
        return set()


reviewers, supervisors = _members(REVIEWERS), _members(SUPERVISORS)

# -- the Hub ---------------------------------------------------------------------------
c.JupyterHub.ip = os.environ.get("WB_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("WB_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("WB_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('WB_PROXY_API_PORT', '8001')}"
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.JupyterHub.default_url = "/hub/home"

# Local OS users, by their system password (PAM); only the two groups may log in.
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = reviewers | supervisors
c.JupyterHub.load_groups = {"reviewers": {"users": sorted(reviewers)},
                            "supervisors": {"users": sorted(supervisors)}}
# Nobody holds the default "self" scope (which includes starting one's own server):
# reviewers get it through their group, supervisors only the dashboard.
c.JupyterHub.load_roles = [
    {"name": "user", "scopes": ["read:users:name!user", "read:users:groups!user"]},
    {"name": "reviewer", "groups": ["reviewers"],
     "scopes": ["self", "access:services!service=dashboard"]},
    {"name": "supervisor", "groups": ["supervisors"],
     "scopes": ["access:services!service=dashboard"]},
]

# -- reviewers' servers --------------------------------------------------------------------
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(VENV_BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab/tree/reviewer_workbench.ipynb"
c.Spawner.notebook_dir = "~"
c.Spawner.environment = {"WORKBENCH_DATASET": DATASET, "WORKBENCH_RESULTS": RESULTS,
                         "WORKBENCH_CONFIG": REVIEWER_CONFIG}
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 180


def _pre_spawn(spawner) -> None:
    """Refuse anyone who is not a reviewer (supervisors hold no server scope either), and
    give the reviewer a working copy of the reviewer notebook (the tracked one is never
    written)."""
    name = spawner.user.name
    if name not in reviewers:
        raise PermissionError(f"{name} is not in {REVIEWERS}: no JupyterLab server "
                              "(supervisors use the dashboard at /services/dashboard/)")
    home = Path(pwd.getpwnam(name).pw_dir)
    copy = home / "reviewer_workbench.ipynb"
    if not copy.exists():
        shutil.copyfile(SOURCE / "notebooks" / "reviewer_workbench.ipynb", copy)
        shutil.chown(copy, name, pwd.getpwnam(name).pw_gid)


c.Spawner.pre_spawn_hook = _pre_spawn

def _home(user: str) -> str:
    try:
        return pwd.getpwnam(user).pw_dir
    except KeyError:
        return "/"


# -- the supervisors' dashboard --------------------------------------------------------------
c.JupyterHub.services = [{
    "name": "dashboard",
    "display": True,
    "url": f"http://127.0.0.1:{DASHBOARD_PORT}",
    "command": [sys.executable, str(SOURCE / "deploy" / "hub_dashboard.py"), DATASET],
    "user": DASHBOARD_USER,
    "cwd": _home(DASHBOARD_USER),
    "environment": {"WORKBENCH_CONFIG": DASHBOARD_CONFIG, "WORKBENCH_RESULTS": RESULTS,
                    "HOME": _home(DASHBOARD_USER), "PATH": os.environ.get("PATH", "")},
    "oauth_no_confirm": True,
}]
