import pytest
from rest_framework.test import APIClient

from tests.objectives.conftest import World, add_update, world  # noqa: F401

ROLES = [
    "anonymous",
    "minusca-focal",
    "unmiss-focal",
    "minusca-approver",
    "manager",
    "leader",
]


@pytest.fixture
def api(world: World):  # noqa: F811
    """An API client signed in as one of the world's people (or anonymous)."""

    def client_for(role: str) -> APIClient:
        client = APIClient()
        if role != "anonymous":
            client.force_authenticate(world.users[role])
        return client

    return client_for
