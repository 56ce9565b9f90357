from django.urls import path

from sikim.accounts import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("daftar/", views.signup, name="signup"),
    path("profil/", views.profile, name="profile"),
    path("kata-sandi/ubah/", views.PasswordChangeView.as_view(), name="password_change"),
    path("kata-sandi/lupa/", views.PasswordResetView.as_view(), name="password_reset"),
    path("kata-sandi/lupa/terkirim/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "kata-sandi/atur/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("kata-sandi/atur/selesai/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("token/", views.tokens, name="tokens"),
    path("token/<int:token_id>/cabut/", views.token_revoke, name="token_revoke"),
]
