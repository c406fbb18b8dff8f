from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from stakeholders.models import Organisation, RoleAssignment
from stakeholders.permissions import MISSION_ROLE_PERMISSION, Role
from stakeholders.services import role_assign, role_end, role_hand_over
from strategy_tracker.exceptions import ApplicationError


class Command(BaseCommand):
    help = (
        "Give a user a role (focal_point, approver, strategy_manager, leadership), end it, "
        "or hand it over to someone else when staff rotate. History is kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument(
            "--mission", help="mission code, for focal_point and approver"
        )
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--end", action="store_true", help="end the assignment")
        group.add_argument(
            "--hand-over-to", metavar="USERNAME", help="move the role to this user"
        )

    def handle(self, *args: object, **options: object) -> None:
        users = get_user_model().objects
        user = users.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f'no user "{options["username"]}"')
        role = Role(options["role"])
        organisation = None
        if options["mission"]:
            organisation = Organisation.objects.filter(code=options["mission"]).first()
            if organisation is None:
                raise CommandError(f'no organisation with code "{options["mission"]}"')
        elif role in MISSION_ROLE_PERMISSION:
            raise CommandError(f"the role {role.value} needs --mission")
        try:
            if options["end"]:
                assignment = RoleAssignment.objects.filter(
                    user=user,
                    role=role,
                    organisation=organisation,
                    ended_at__isnull=True,
                ).first()
                if assignment is None:
                    raise CommandError(f"{user} does not hold {role.value} there")
                role_end(assignment=assignment)
                self.stdout.write(self.style.SUCCESS(f"Ended: {assignment}"))
            elif options["hand_over_to"]:
                successor = users.filter(username=options["hand_over_to"]).first()
                if successor is None:
                    raise CommandError(f'no user "{options["hand_over_to"]}"')
                assignment = role_hand_over(
                    from_user=user,
                    to_user=successor,
                    role=role,
                    organisation=organisation,
                )
                self.stdout.write(self.style.SUCCESS(f"Handed over: {assignment}"))
            else:
                assignment = role_assign(
                    user=user, role=role, organisation=organisation
                )
                self.stdout.write(self.style.SUCCESS(f"Assigned: {assignment}"))
        except ApplicationError as error:
            raise CommandError(error.message) from error
