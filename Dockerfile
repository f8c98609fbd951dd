# gate as a container image, for a Cloud Build step (or any CI that runs steps in images):
#
#   docker build -t REGION-docker.pkg.dev/PROJECT/REPOSITORY/gate:0.1.0 .
#
# Every Python dependency is pinned by version and sha256 (requirements/action.txt); pin the
# base image by digest as well (--build-arg PYTHON_IMAGE=python:3.12-slim@sha256:...), and
# refer to the built image by digest in the pipeline (examples/cloudbuild.yaml).
ARG PYTHON_IMAGE=python:3.12-slim
FROM ${PYTHON_IMAGE}

RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/*

COPY requirements/action.txt /tmp/requirements.txt
RUN python -m venv /opt/gate \
    && /opt/gate/bin/pip install --no-cache-dir --require-hashes --no-deps -r /tmp/requirements.txt

COPY . /src
RUN /opt/gate/bin/pip install --no-cache-dir --no-deps --no-build-isolation /src \
    && rm -rf /src /tmp/requirements.txt \
    # Cloud Build mounts the checkout at /workspace, owned by another user than this image's
    && git config --system --add safe.directory /workspace

ENV PATH=/opt/gate/bin:$PATH
WORKDIR /workspace
ENTRYPOINT ["gate"]
