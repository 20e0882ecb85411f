"""(gnu home services containers): OCI containers as the user's own shepherd services, with no
system daemon, account or user switch."""

from __future__ import annotations

from pathlib import Path

import pytest
from service_modules import home_build, missing_exports

from schemy.app import Interpreter


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    return Interpreter()


def test_home_containers_module_exports_every_guix_name(interp):
    assert missing_exports(interp, "gnu home services containers") == []


def test_home_oci_container_is_a_user_service_without_system_requirements(interp, tmp_path):
    built = home_build(interp, tmp_path, "(gnu services containers) (gnu home services containers)", """
        (service home-oci-service-type
                 (for-home
                  (oci-configuration
                   (runtime 'podman)
                   (containers (list (oci-container-configuration
                                      (image "docker.io/library/nginx:latest")
                                      (provision "web")
                                      (ports '(("8080" . "80")))))))))""")
    assert built.shepherd_services == ["web"]
    init = next(p for n, p in built.files.items() if n.endswith("shepherd/init.scm"))
    text = Path(init).read_text()
    assert "nginx:latest" in text and "8080:80" in text
    assert "dockerd" not in text and "cgroups2" not in text and "oci-container" not in text


def test_home_oci_extension_adds_containers(interp, tmp_path):
    built = home_build(interp, tmp_path, "(gnu services containers) (gnu home services containers)", """
        (service home-oci-service-type)
        (simple-service 'more home-oci-service-type
                        (oci-extension (containers (list (oci-container-configuration
                                                          (image "alpine") (provision "a"))))))""")
    assert built.shepherd_services == ["a"]
