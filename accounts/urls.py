from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.start, name="start"),
    path("orgs/", views.organizations, name="organizations"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("o/<slug:org_slug>/members/", views.members, name="members"),
    path("o/<slug:org_slug>/members/<id:pk>/role/", views.member_role, name="member-role"),
    path("o/<slug:org_slug>/members/<id:pk>/remove/", views.member_remove, name="member-remove"),
    path(
        "o/<slug:org_slug>/members/<id:pk>/training/",
        views.member_training,
        name="member-training",
    ),
    path(
        "o/<slug:org_slug>/invitations/<id:pk>/resend/",
        views.invitation_resend,
        name="invitation-resend",
    ),
    path(
        "o/<slug:org_slug>/invitations/<id:pk>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("o/<slug:org_slug>/settings/", views.org_settings, name="org-settings"),
    path("o/<slug:org_slug>/account/emails/", views.account_emails, name="account-emails"),
]
