"""Setting up a library (action, command, admin view), the roles API and expiry."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    PageLogEntry,
    Revision,
    Task,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from bm_pages.actions.setup_library import (
    SetUpLibraryAction,
    SetUpLibraryPermissionError,
    assign_demo_roles,
)
from bm_pages.actions.team import (
    LOG_GRANT,
    LOG_REVOKE,
    AddMemberAction,
    GrantRoleAction,
    RevokeRoleAction,
    TeamError,
    TeamPermissionError,
)
from bm_pages.models import LibraryGroup, LibraryMembership, LibraryPage
from bm_pages.roles import (
    LibraryNotSetUpError,
    LibraryRole,
    expire_memberships,
    grant_role,
    libraries_for_user,
    library_of,
    revoke_role,
    user_roles,
)
from bm_pages.services.libraries import ensure_library
from tests.factories import (
    AnnualPlanPageFactory,
    ProjectPageFactory,
    RegionalNetworkFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
COUNTED = (
    Page,
    Revision,
    Collection,
    Group,
    LibraryGroup,
    GroupPagePermission,
    GroupCollectionPermission,
    Workflow,
    WorkflowTask,
    WorkflowPage,
    Task,
)


def counts() -> dict[str, int]:
    counted = {model.__name__: model.objects.count() for model in COUNTED}
    counted["group permissions"] = Group.permissions.through.objects.count()
    return counted


def page_permissions(group) -> set[str]:
    return set(
        GroupPagePermission.objects.filter(group=group).values_list(
            "permission__codename", flat=True
        )
    )


def collection_permissions(group) -> set[str]:
    return set(
        GroupCollectionPermission.objects.filter(group=group).values_list(
            "permission__codename", flat=True
        )
    )


def set_up(name="Bibliotheek Xanten", **kwargs):
    return SetUpLibraryAction(name, **kwargs).execute(skip_permission_checks=True)


# The action ----------------------------------------------------------------------


def test_set_up_creates_page_collection_groups_permissions_and_workflow(db):
    network = RegionalNetworkFactory(name="Netwerk Noord")
    setup = set_up(network=network)
    library = LibraryPage.objects.get(pk=setup.library.pk)
    assert library.live and library.network == network
    assert library.get_parent().specific_class.__name__ == "HomePage"

    collection = setup.collection
    assert collection.name == "Bibliotheek Xanten"
    assert collection.get_parent() == Collection.get_first_root_node()
    assert library.collection == collection
    # The admin edits from the latest revision; it knows the collection too.
    assert library.get_latest_revision_as_object().collection == collection

    groups = {
        link.role: link.group for link in LibraryGroup.objects.filter(library=library)
    }
    assert {role: group.name for role, group in groups.items()} == {
        "editor": "Bibliotheek Xanten – redacteuren",
        "approver": "Bibliotheek Xanten – goedkeurders",
        "auditor": "Bibliotheek Xanten – auditors",
    }
    editors, approvers, auditors = (
        groups[r] for r in ("editor", "approver", "auditor")
    )
    assert page_permissions(editors) == {"add_page", "change_page"}
    assert page_permissions(approvers) == {
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
    }
    assert page_permissions(auditors) == set()
    assert set(
        GroupPagePermission.objects.filter(group__in=groups.values()).values_list(
            "page_id", flat=True
        )
    ) == {library.pk}
    staff_collection = {
        "add_document",
        "change_document",
        "choose_document",
        "add_image",
        "change_image",
        "choose_image",
    }
    assert collection_permissions(editors) == staff_collection
    assert collection_permissions(approvers) == staff_collection
    assert collection_permissions(auditors) == set()
    access_admin = Permission.objects.get(codename="access_admin")
    assert access_admin in editors.permissions.all()
    assert access_admin in approvers.permissions.all()
    assert not auditors.permissions.exists()

    workflow = library.get_workflow()
    assert workflow == setup.workflow and workflow.name == "Bibliotheek Xanten"
    assert WorkflowPage.objects.get(page=library).workflow == workflow
    task = workflow.tasks.get().specific
    assert isinstance(task, GroupApprovalTask)
    assert list(task.groups.all()) == [approvers]


def test_set_up_twice_changes_nothing(db):
    first = set_up()
    before = counts()
    second = set_up()
    assert second.created == []
    assert not second.changed
    assert counts() == before
    assert second.library.pk == first.library.pk
    assert second.workflow == first.workflow and second.task == first.task


def test_set_up_completes_an_existing_library_and_sets_its_network(db):
    library = ensure_library("Bibliotheek Ypenburg")
    plan = AnnualPlanPageFactory(parent=library, year=2026)
    network = RegionalNetworkFactory(name="Netwerk Haaglanden")
    setup = set_up("Bibliotheek Ypenburg", network=network)
    assert setup.library.pk == library.pk
    assert "library" not in setup.created and "network" in setup.created
    assert LibraryPage.objects.get(pk=library.pk).network == network
    assert Page.objects.get(pk=plan.pk).get_workflow() == setup.workflow
    # Running again with the same network: nothing to do.
    assert set_up("Bibliotheek Ypenburg", network=network).created == []


def test_set_up_repairs_a_missing_permission(db):
    setup = set_up()
    editors = setup.groups[LibraryRole.EDITOR]
    GroupPagePermission.objects.filter(
        group=editors, permission__codename="add_page"
    ).delete()
    again = set_up()
    assert again.created == ["page_permission:editor:add"]
    assert page_permissions(editors) == {"add_page", "change_page"}


def test_only_superusers_may_set_up(db):
    editor = UserFactory()
    superuser = UserFactory(is_superuser=True)
    with pytest.raises(SetUpLibraryPermissionError):
        SetUpLibraryAction("Bibliotheek Zwolle", user=editor).execute()
    with pytest.raises(SetUpLibraryPermissionError):
        SetUpLibraryAction("Bibliotheek Zwolle").execute()
    assert not LibraryPage.objects.filter(title="Bibliotheek Zwolle").exists()
    setup = SetUpLibraryAction("Bibliotheek Zwolle", user=superuser).execute()
    assert setup.library.title == "Bibliotheek Zwolle"


# The command and the admin view ------------------------------------------------------


def test_setup_library_command(db):
    RegionalNetworkFactory(name="Netwerk Rivierenland", slug="rivierenland")
    out = StringIO()
    call_command(
        "setup_library", "Bibliotheek Tiel", "--network", "Rivierenland", stdout=out
    )
    assert "Set up Bibliotheek Tiel" in out.getvalue()
    library = LibraryPage.objects.get(title="Bibliotheek Tiel")
    assert library.network.name == "Netwerk Rivierenland"
    assert LibraryGroup.objects.filter(library=library).count() == 3
    out = StringIO()
    call_command("setup_library", "Bibliotheek Tiel", stdout=out)
    assert "nothing changed" in out.getvalue()
    with pytest.raises(CommandError, match="no regional network"):
        call_command("setup_library", "Bibliotheek Culemborg", "--network", "Nergens")
    assert not LibraryPage.objects.filter(title="Bibliotheek Culemborg").exists()


def test_setup_admin_view_is_for_superusers(db):
    network = RegionalNetworkFactory(name="Netwerk Oost")
    superuser = UserFactory(is_superuser=True)
    client = Client()
    client.force_login(superuser)
    url = reverse("bm_pages_roles:setup_library")
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert url in home and "Bibliotheek instellen" in home
    page = client.get(url)
    assert page.status_code == 200
    assert "Bibliotheek instellen" in page.content.decode()
    response = client.post(
        url,
        {
            "name": "Bibliotheek Deventer",
            "network": network.pk,
            "inhabitants": "80000",
            "urbanity": "2",
        },
    )
    library = LibraryPage.objects.get(title="Bibliotheek Deventer")
    assert response.status_code == 302
    assert response["Location"] == reverse("bm_pages_roles:team", args=[library.pk])
    assert library.network == network
    assert LibraryGroup.objects.filter(library=library).count() == 3

    setup = set_up("Bibliotheek Deventer")
    editor = UserFactory()
    grant_role(setup.library, editor, LibraryRole.EDITOR)
    client.force_login(editor)
    assert url not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert client.get(url).status_code == 403
    response = client.post(url, {"name": "Bibliotheek Olst"})
    assert response.status_code == 403
    assert not LibraryPage.objects.filter(title="Bibliotheek Olst").exists()


# The roles API -------------------------------------------------------------------


def test_grant_and_revoke_keep_groups_in_step(db):
    setup = set_up()
    library, editors = setup.library, setup.groups[LibraryRole.EDITOR]
    user, boss = UserFactory(), UserFactory()
    membership = grant_role(library, user, LibraryRole.EDITOR, granted_by=boss)
    assert membership.granted_by == boss and membership.expires_on is None
    assert editors in user.groups.all()
    assert user_roles(user, library) == {LibraryRole.EDITOR}
    assert grant_role(library, user, "editor").pk == membership.pk  # idempotent
    assert LibraryMembership.objects.filter(user=user).count() == 1
    grant_role(library, user, LibraryRole.APPROVER)
    assert user_roles(user, library) == {LibraryRole.EDITOR, LibraryRole.APPROVER}
    revoke_role(library, user, LibraryRole.EDITOR)
    assert editors not in user.groups.all()
    assert user_roles(user, library) == {LibraryRole.APPROVER}
    revoke_role(library, user, LibraryRole.EDITOR)  # nothing to revoke: fine
    with pytest.raises(ValueError):
        grant_role(library, user, "director")


def test_grant_on_a_library_that_is_not_set_up_fails(db):
    library = ensure_library("Bibliotheek Zonder Groepen")
    with pytest.raises(LibraryNotSetUpError):
        grant_role(library, UserFactory(), LibraryRole.EDITOR)
    assert not LibraryMembership.objects.filter(library=library).exists()


def test_user_roles_and_libraries_for_user(db):
    a, b = set_up("Bibliotheek A").library, set_up("Bibliotheek B").library
    user = UserFactory()
    grant_role(a, user, LibraryRole.EDITOR)
    grant_role(
        b, user, LibraryRole.AUDITOR, expires_on=TODAY + datetime.timedelta(days=30)
    )
    assert list(libraries_for_user(user)) == [a, b]
    assert list(libraries_for_user(user, LibraryRole.EDITOR)) == [a]
    assert list(libraries_for_user(user, "auditor")) == [b]
    assert user_roles(None, a) == set()
    assert user_roles(user, None) == set()
    from django.contrib.auth.models import AnonymousUser

    assert user_roles(AnonymousUser(), a) == set()
    assert not libraries_for_user(AnonymousUser()).exists()
    user.is_active = False
    user.save()
    assert user_roles(user, a) == set()


def test_library_of(db):
    library = set_up().library
    plan = AnnualPlanPageFactory(parent=library, year=2026)
    project = ProjectPageFactory(parent=plan)
    assert library_of(project) == library
    assert library_of(Page.objects.get(pk=plan.pk)) == library
    assert library_of(library) == library
    assert library_of(library.get_parent()) is None
    assert library_of(None) is None
    assert isinstance(library_of(project), LibraryPage)


# Expiry ----------------------------------------------------------------------------


def test_expired_auditor_stops_at_once_and_leaves_the_group(db):
    library = set_up().library
    auditors = LibraryGroup.objects.get(library=library, role="auditor").group
    auditor = UserFactory()
    membership = grant_role(
        library,
        auditor,
        LibraryRole.AUDITOR,
        expires_on=TODAY + datetime.timedelta(days=1),
    )
    assert user_roles(auditor, library) == {LibraryRole.AUDITOR}
    assert auditors in auditor.groups.all()

    # The end date arrives: the helpers refuse at once, before any clean-up ran.
    LibraryMembership.objects.filter(pk=membership.pk).update(expires_on=TODAY)
    assert user_roles(auditor, library) == set()
    assert not libraries_for_user(auditor).exists()
    assert auditors in auditor.groups.all()  # not cleaned up yet

    assert expire_memberships() == 1
    assert auditors not in auditor.groups.all()
    assert LibraryMembership.objects.filter(
        pk=membership.pk
    ).exists()  # the record stays
    assert expire_memberships() == 0


def test_expired_membership_is_cleaned_up_on_login(db):
    library = set_up().library
    auditor = UserFactory(username="auditor-login")
    grant_role(
        library,
        auditor,
        LibraryRole.AUDITOR,
        expires_on=TODAY - datetime.timedelta(days=1),
    )
    # Granting an already expired role records it but gives no group.
    assert not auditor.groups.exists()
    auditors = LibraryGroup.objects.get(library=library, role="auditor").group
    auditor.groups.add(auditors)  # e.g. added by hand in the Users admin
    # Through the sign-in page auditors use (a real request, as the lockout needs).
    client = Client()
    response = client.post(
        "/_util/login/", {"username": "auditor-login", "password": "biblio-test"}
    )
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert not auditor.groups.exists()


def test_expire_memberships_command(db):
    library = set_up().library
    auditor = UserFactory()
    membership = grant_role(
        library,
        auditor,
        LibraryRole.AUDITOR,
        expires_on=TODAY + datetime.timedelta(days=5),
    )
    LibraryMembership.objects.filter(pk=membership.pk).update(
        expires_on=TODAY - datetime.timedelta(days=1)
    )
    out = StringIO()
    call_command("expire_memberships", stdout=out)
    assert "Removed 1 expired group membership" in out.getvalue()
    assert not auditor.groups.exists()


# Demo data ---------------------------------------------------------------------------


def test_assign_demo_roles_is_idempotent(db):
    library = ensure_library("Bibliotheek Demodorp")
    for username in ("redacteur-demodorp", "goedkeurder-demodorp", "auditor-demodorp"):
        UserFactory(username=username)
    assign_demo_roles(library, "demodorp")
    roles = dict(
        LibraryMembership.objects.filter(library=library).values_list(
            "user__username", "role"
        )
    )
    assert roles == {
        "redacteur-demodorp": "editor",
        "goedkeurder-demodorp": "approver",
        "auditor-demodorp": "auditor",
    }
    auditor = LibraryMembership.objects.get(library=library, role="auditor")
    assert auditor.expires_on == TODAY + datetime.timedelta(days=365)
    before = (counts(), list(LibraryMembership.objects.values()))
    assign_demo_roles(library, "demodorp")
    assert (counts(), list(LibraryMembership.objects.values())) == before


# Team management in the admin ------------------------------------------------------


def team_url(library) -> str:
    return reverse("bm_pages_roles:team", args=[library.pk])


def test_team_page_is_for_the_librarys_approvers(roles_world):
    world = roles_world
    url = team_url(world.library_a)
    client = Client()
    for role, status in (
        ("approver_a", 200),
        ("superuser", 200),
        ("editor_a", 403),
        ("editor_b", 403),
        ("approver_b", 403),
    ):
        client.force_login(world.users[role])
        response = client.get(url)
        assert response.status_code == status, role
    client.force_login(world.users["auditor_a"])
    assert client.get(url)["Location"].startswith(reverse("wagtailadmin_login"))
    client.logout()
    assert client.get(url)["Location"].startswith(reverse("wagtailadmin_login"))

    client.force_login(world.users["approver_a"])
    page = client.get(url).content.decode()
    for username in ("redacteur-aland", "goedkeurder-aland", "auditor-aland"):
        assert f'data-bm-member="{username}"' in page
    assert "bemdal" not in page
    assert "Team van Bibliotheek Aland" in page


def test_team_button_on_the_library_page(roles_world):
    world = roles_world
    client = Client()
    explore = reverse("wagtailadmin_explore", args=[world.library_a.pk])
    client.force_login(world.users["approver_a"])
    assert team_url(world.library_a) in client.get(explore).content.decode()
    client.force_login(world.users["editor_a"])
    assert team_url(world.library_a) not in client.get(explore).content.decode()


def test_approver_adds_an_existing_user_and_an_auditor_with_an_end_date(roles_world):
    world = roles_world
    client = Client()
    approver = world.users["approver_a"]
    client.force_login(approver)
    newcomer = UserFactory(username="nieuwe-collega", email="collega@example.org")
    response = client.post(
        team_url(world.library_a),
        {"action": "add", "add-user": "collega@example.org", "add-role": "editor"},
    )
    assert response.status_code == 302
    membership = LibraryMembership.objects.get(library=world.library_a, user=newcomer)
    assert membership.role == "editor" and membership.granted_by == approver
    assert user_roles(newcomer, world.library_a) == {LibraryRole.EDITOR}
    assert newcomer.groups.filter(name="Bibliotheek Aland – redacteuren").exists()

    # An auditor needs an end date in the future.
    external = UserFactory(username="extern-auditor")
    response = client.post(
        team_url(world.library_a),
        {"action": "add", "add-user": "extern-auditor", "add-role": "auditor"},
    )
    assert response.status_code == 200
    assert (
        "Geef de datum waarop de toegang van de auditor vervalt."
        in response.content.decode()
    )
    assert not LibraryMembership.objects.filter(user=external).exists()
    end = TODAY + datetime.timedelta(days=90)
    client.post(
        team_url(world.library_a),
        {
            "action": "add",
            "add-user": "extern-auditor",
            "add-role": "auditor",
            "add-expires_on": end.isoformat(),
        },
    )
    assert LibraryMembership.objects.get(user=external).expires_on == end
    # Editors and approvers get no end date.
    response = client.post(
        team_url(world.library_a),
        {
            "action": "add",
            "add-user": "extern-auditor",
            "add-role": "editor",
            "add-expires_on": end.isoformat(),
        },
    )
    assert response.status_code == 200
    assert user_roles(external, world.library_a) == {LibraryRole.AUDITOR}


def test_approver_creates_a_user_who_gets_a_set_password_email(roles_world, mailoutbox):
    world = roles_world
    client = Client()
    client.force_login(world.users["approver_a"])
    response = client.post(
        team_url(world.library_a),
        {
            "action": "create",
            "create-username": "jdevries",
            "create-email": "j.devries@aland.example",
            "create-first_name": "Jan",
            "create-last_name": "de Vries",
            "create-role": "approver",
        },
    )
    assert response.status_code == 302
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="jdevries")
    assert user.get_full_name() == "Jan de Vries"
    assert user_roles(user, world.library_a) == {LibraryRole.APPROVER}
    assert [message.to for message in mailoutbox] == [["j.devries@aland.example"]]
    assert "/admin/password_reset/confirm/" in mailoutbox[0].body
    # The username is taken now.
    response = client.post(
        team_url(world.library_a),
        {
            "action": "create",
            "create-username": "JDeVries",
            "create-email": "ander@aland.example",
            "create-role": "editor",
        },
    )
    assert response.status_code == 200
    assert get_user_model().objects.filter(username__iexact="jdevries").count() == 1


def test_removing_members(roles_world):
    world = roles_world
    library = world.library_a
    client = Client()
    editor_membership = LibraryMembership.objects.get(
        library=library, user=world.users["editor_a"]
    )
    remove = reverse(
        "bm_pages_roles:remove_member", args=[library.pk, editor_membership.pk]
    )
    # Editors may not remove anyone; B's approver neither.
    for role in ("editor_a", "approver_b"):
        client.force_login(world.users[role])
        assert client.post(remove).status_code == 403
    assert LibraryMembership.objects.filter(pk=editor_membership.pk).exists()

    client.force_login(world.users["approver_a"])
    # "Verwijderen" asks first, on a page of its own (not only a script's dialog):
    # opening it, or posting without the confirmation, removes nobody.
    team = client.get(reverse("bm_pages_roles:team", args=[library.pk]))
    assert f'href="{remove}"' in team.content.decode()
    for response in (client.get(remove), client.post(remove)):
        assert response.status_code == 200
        html = response.content.decode()
        assert "verwijderen als redacteur van" in html
        assert 'name="confirm"' in html and "Ja, verwijderen" in html
    assert LibraryMembership.objects.filter(pk=editor_membership.pk).exists()
    assert client.post(remove, {"confirm": "yes"}).status_code == 302
    assert user_roles(world.users["editor_a"], library) == set()
    assert not world.users["editor_a"].groups.exists()

    # The last approver cannot remove themselves (a superuser could).
    own = LibraryMembership.objects.get(library=library, user=world.users["approver_a"])
    remove_own = reverse("bm_pages_roles:remove_member", args=[library.pk, own.pk])
    client.post(remove_own, {"confirm": "yes"})
    assert LibraryMembership.objects.filter(pk=own.pk).exists()
    client.force_login(world.users["superuser"])
    client.post(remove_own, {"confirm": "yes"})
    assert not LibraryMembership.objects.filter(pk=own.pk).exists()


def test_team_actions_keep_the_rules_and_write_the_history(roles_world):
    world = roles_world
    library = world.library_a
    newcomer = UserFactory()
    # Who manages the team: the library's approvers and superusers, nobody else.
    for role in ("editor_a", "approver_b", "auditor_a"):
        with pytest.raises(TeamPermissionError):
            GrantRoleAction(
                library, newcomer, LibraryRole.EDITOR, user=world.users[role]
            ).execute()
    assert user_roles(newcomer, library) == set()

    GrantRoleAction(
        library, newcomer, LibraryRole.EDITOR, user=world.users["approver_a"]
    ).execute()
    assert user_roles(newcomer, library) == {LibraryRole.EDITOR}
    granted = PageLogEntry.objects.filter(
        page=library, action=LOG_GRANT, user=world.users["approver_a"]
    ).get()
    assert granted.data == {
        "member": newcomer.get_username(),
        "role": "editor",
        "expires_on": None,
    }

    # The last approver stays, for everyone but a superuser.
    own = LibraryMembership.objects.get(library=library, user=world.users["approver_a"])
    with pytest.raises(TeamError) as refused:
        RevokeRoleAction(own, user=world.users["approver_a"]).execute()
    assert refused.value.code == "last_approver"
    RevokeRoleAction(own, user=world.users["superuser"]).execute()
    assert not LibraryMembership.objects.filter(pk=own.pk).exists()
    assert PageLogEntry.objects.filter(
        page=library, action=LOG_REVOKE, user=world.users["superuser"]
    ).exists()


def test_adding_a_member_to_a_library_not_set_up_creates_no_account(db):
    library = set_up("Bibliotheek Kaal").library
    LibraryGroup.objects.filter(library=library).delete()
    admin = UserFactory(is_superuser=True)
    with pytest.raises(TeamError) as refused:
        AddMemberAction(
            library, LibraryRole.EDITOR, user=admin, username="nieuw", email="n@x.nl"
        ).execute()
    assert refused.value.code == "not_set_up"
    assert not get_user_model().objects.filter(username="nieuw").exists()


def test_deleting_a_library_removes_its_groups(db):
    setup = set_up()
    other = set_up("Bibliotheek Blijft")
    group_ids = [group.pk for group in setup.groups.values()]
    user = UserFactory()
    grant_role(setup.library, user, LibraryRole.EDITOR)
    Page.objects.get(pk=setup.library.pk).delete()
    assert not Group.objects.filter(pk__in=group_ids).exists()
    assert not LibraryMembership.objects.filter(user=user).exists()
    assert not user.groups.exists()
    assert (
        Group.objects.filter(pk__in=[g.pk for g in other.groups.values()]).count() == 3
    )
