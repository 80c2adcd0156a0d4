"""Schemathesis hooks for tests/schemathesis.sh.

The run acts as an admin of a seeded municipality with one bearer token.
Changing or deactivating that admin's own user would end the run's session
(a new password or deactivation revokes it) and leave the rest of the run
testing nothing but 401s, so requests aimed at the own user are pointed at
an id no user has. Every other operation, these two included, runs as usual.
"""

import os

import schemathesis

OWN_USER_ID = os.environ["SAMUDBUD_OWN_USER_ID"]
NOBODY = "00000000-0000-4000-8000-000000000000"


@schemathesis.hook
def before_call(context, case, kwargs):
    path = case.operation.path
    params = case.path_parameters or {}
    if path == "/users/{id}" and str(params.get("id", "")).lower() == OWN_USER_ID:
        params["id"] = NOBODY
