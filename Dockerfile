# Build stage: the release binary.
FROM rust:1-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The dependencies first, in a layer of their own: built against an empty crate, they are
# rebuilt only when Cargo.toml or Cargo.lock change, not at every change of the sources.
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && echo 'fn main() {}' > src/main.rs && touch src/lib.rs \
    && cargo build --release --locked \
    && rm -rf src
COPY . .
# `touch`: the copied sources may be older than the empty crate's build, which cargo would then
# take for up to date.
RUN touch src/main.rs src/lib.rs && cargo build --release --locked && strip target/release/motcua

# Run stage: the binary, libpq and curl for the health check.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/motcua --create-home motcua \
    && install -d -o motcua -g motcua /var/lib/motcua/files
COPY --from=build /src/target/release/motcua /usr/local/bin/motcua
USER motcua
WORKDIR /var/lib/motcua
ENV MOTCUA_BIND=0.0.0.0:8080 MOTCUA_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD curl -fsS http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["motcua"]
CMD ["serve"]
