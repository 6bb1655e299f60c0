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
            msg = f"Role '{self.role}' is unknown: use admin, opd or viewer."
            raise InvalidInputError(msg)
        if self.role == OPD and not self.opd_code:
            msg = f"User '{self.user_id}' has role opd but no agency (opd code)."
            raise InvalidInputError(msg)

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    def check_can_record(self) -> None:
        if self.role == VIEWER:
            msg = f"User '{self.user_id}' is a viewer and can record nothing."
            raise PermissionDeniedError(msg)

    def check_admin(self, what: str) -> None:
        if not self.is_admin:
            msg = f"Only division staff (admin) can {what}; user '{self.user_id}' is {self.role}."
            raise PermissionDeniedError(msg)

    def check_acts_for(self, opd_codes: str | tuple[str, ...], what: str) -> None:
        """Admins act for every agency; OPD staff only for their own."""
        self.check_can_record()
        codes = (opd_codes,) if isinstance(opd_codes, str) else opd_codes
        if self.is_admin or self.opd_code in codes:
            return
        owner = ", ".join(codes)
        msg = (
            f"User '{self.user_id}' of {self.opd_code} cannot {what} for {owner}: "
            "OPD staff act only for their own agency."
        )
        raise PermissionDeniedError(msg)
