# Build stage: the release binary (SQLite is compiled in, bundled).
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY .cargo ./.cargo
COPY src ./src
COPY migrations ./migrations
COPY seed ./seed
RUN cargo build --release --locked --bin commentary-api

# Runtime stage: a small Debian with the binary, running as a non-root user.
FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin app \
    && mkdir -p /data && chown app:app /data
COPY --from=build /src/target/release/commentary-api /usr/local/bin/commentary-api
USER app
WORKDIR /data
ENV HOST=0.0.0.0 \
    PORT=8080 \
    DATABASE_URL=/data/commentary.sqlite \
    RUST_LOG=info \
    LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8080
ENTRYPOINT ["commentary-api"]
