# Multi-stage build of the Edge proxy.
#   docker build -t edge --build-arg EDGE_BUILD_COMMIT=$(git rev-parse --short HEAD) .
#   docker run -p 8080:8080 -v $PWD/edge.yaml:/etc/edge/edge.yaml:ro edge
#   docker run edge --version
# Configuration: mount a file at /etc/edge/edge.yaml (or pass another path
# with `run --config`), override keys with EDGE_<KEY> variables, secrets with
# EDGE_<KEY>_FILE or ${file:/run/secrets/...} (see README, Configuration).
FROM rust:1.95-bookworm AS build
# Shown by `edge --version`; the build reads git itself when .git is present.
ARG EDGE_BUILD_COMMIT=
ENV EDGE_BUILD_COMMIT=${EDGE_BUILD_COMMIT}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      cmake ragel libboost-dev protobuf-compiler pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p edge -p edge-datadog \
 && strip target/release/edge target/release/edge-datadog

FROM debian:bookworm-slim AS runtime
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates libstdc++6 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home edge
COPY --from=build /src/target/release/edge /src/target/release/edge-datadog /usr/local/bin/
USER 10001
EXPOSE 8080
ENV EDGE_LISTEN_ADDRESS=0.0.0.0
ENTRYPOINT ["/usr/local/bin/edge"]
CMD ["run", "--config", "/etc/edge/edge.yaml"]
