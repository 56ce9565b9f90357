from django.apps import AppConfig


class WilayahConfig(AppConfig):
    name = "sikim.wilayah"
    label = "wilayah"
