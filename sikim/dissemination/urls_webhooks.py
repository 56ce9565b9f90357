"""Public endpoints of the dissemination app, guarded by signatures or signed tokens (included in urls.py)."""

from django.urls import path

from sikim.dissemination import views_webhooks

urlpatterns = [
    path("webhook/whatsapp/", views_webhooks.whatsapp_webhook, name="webhook_whatsapp"),
    path("webhook/telegram/", views_webhooks.telegram_webhook, name="webhook_telegram"),
    path("webhook/sms/", views_webhooks.sms_webhook, name="webhook_sms"),
    path("berhenti/<str:token>/", views_webhooks.optout, name="optout"),
]
