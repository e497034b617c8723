package io.ferry.orchestrator.migrations;

import io.ferry.devstack.DatabaseHandle;
import io.ferry.devstack.Databases;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** A test database of its own with ferry's schema migrated, for a read model's queries; dropped on close. */
final class MigratedDatabase implements AutoCloseable {
    private final DatabaseHandle db;
    final JdbcTemplate jdbc;
    final MigrationsReadModel readModel;

    private MigratedDatabase(DatabaseHandle db) {
        this.db = db;
        Flyway.configure().dataSource(db.jdbcUrl(), db.username(), db.password()).locations("classpath:db/migration").load()
                .migrate();
        this.jdbc = new JdbcTemplate(new DriverManagerDataSource(db.jdbcUrl(), db.username(), db.password()));
        this.readModel = new MigrationsReadModel(jdbc);
    }

    static MigratedDatabase open() {
        return new MigratedDatabase(Databases.forTests());
    }

    @Override
    public void close() {
        db.close();
    }
}
