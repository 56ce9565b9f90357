def test_every_region_operation_is_public_and_documented(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    expected = {
        "/api/v1/wilayah/": {"200"},
        "/api/v1/wilayah/search": {"200", "422"},
        "/api/v1/wilayah/{code}": {"200", "404"},
        "/api/v1/wilayah/{code}/children": {"200", "404", "422"},
    }
    for path, statuses in expected.items():
        operation = paths[path]["get"]
        assert "security" not in operation, path
        assert set(operation["responses"]) == statuses, path
        assert "application/json" in operation["responses"]["200"]["content"], path
