package io.ferry.cli.commands;

import io.ferry.cli.connection.ApiException;
import io.ferry.cli.connection.FerryClient;
import io.ferry.cli.connection.Problem;
import io.ferry.cli.connection.Query;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** Finds a migration by its id or, failing that, by the request id it was submitted with. */
public final class Lookup {
    private Lookup() {}

    public static JsonNode migration(FerryClient api, String idOrRequestId) {
        if (isUuid(idOrRequestId)) {
            try {
                return api.get("/api/migrations/" + idOrRequestId);
            } catch (ApiException.Failed e) {
                if (e.problem().status() != 404) {
                    throw e;
                }
            }
        }
        JsonNode items = items(api.get("/api/migrations" + Query.of().add("requestId", idOrRequestId)));
        if (items.size() == 0) {
            throw new ApiException.Failed(new Problem(404, "not found", "no migration has the id or request id '"
                    + idOrRequestId + "'; see ferry list", "NOT_FOUND"));
        }
        return items.get(0);
    }

    /** The migration id of what {@link #migration} finds, for the endpoints under /api/migrations/{id}. */
    public static String migrationId(FerryClient api, String idOrRequestId) {
        return migration(api, idOrRequestId).path("migrationId").asString();
    }

    /** The items of a page answer ({@code {items, page, size, total}}). */
    public static JsonNode items(JsonNode page) {
        return page.isArray() ? page : page.path("items");
    }

    static boolean isUuid(String text) {
        try {
            return UUID.fromString(text).toString().equalsIgnoreCase(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
