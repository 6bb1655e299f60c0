"""Who acts, and what each role may do.

The domain service checks every command against the actor, so no user interface is ever the
boundary: a crafted form or a script gets the same refusal as the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import InvalidInputError, PermissionDeniedError

ADMIN = "admin"  # division staff: everything
OPD = "opd"  # agency staff: only for their own agency
VIEWER = "viewer"  # leadership and analysts: read only
ROLES = (ADMIN, OPD, VIEWER)


@dataclass(frozen=True)
class Actor:
    """Recorded on every event: who did it, in which role, for which agency."""

    user_id: str
    role: str
    opd_code: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise InvalidInputError(
                "Role '{role}' is unknown: use admin, opd or viewer.", role=self.role
            )
        if self.role == OPD and not self.opd_code:
            raise InvalidInputError(
                "User '{user_id}' has role opd but no agency (opd code).", user_id=self.user_id
            )

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    def check_can_record(self) -> None:
        if self.role == VIEWER:
            raise PermissionDeniedError(
                "User '{user_id}' is a viewer and can record nothing.", user_id=self.user_id
            )

    def check_admin(self, what: str) -> None:
        if not self.is_admin:
            raise PermissionDeniedError(
                "Only division staff (admin) can {what}; user '{user_id}' is {role}.",
                what=what,
                user_id=self.user_id,
                role=self.role,
            )

    def check_acts_for(self, opd_codes: str | tuple[str, ...], what: str) -> None:
        """Admins act for every agency; OPD staff only for their own."""
        self.check_can_record()
        codes = (opd_codes,) if isinstance(opd_codes, str) else opd_codes
        if self.is_admin or self.opd_code in codes:
            return
        owner = ", ".join(codes)
        raise PermissionDeniedError(
            "User '{user_id}' of {opd_code} cannot {what} for {owner}: OPD staff act only for "
            "their own agency.",
            user_id=self.user_id,
            opd_code=self.opd_code,
            what=what,
            owner=owner,
        )
