#include <catch2/catch.hpp>

#include "fleetk8s/report/secrets.h"

using namespace fleetk8s::report;

TEST_CASE("bootstrap tokens and certificate keys are masked by their shape") {
  CHECK(mask_secrets("kubeadm join 1.2.3.4:6443 --token syh7j4.879ywf9pyo57t99x \\") ==
        "kubeadm join 1.2.3.4:6443 --token ******** \\");
  const std::string key(64, 'a');
  CHECK(mask_secrets("--control-plane --certificate-key " + key) == "--control-plane --certificate-key ********");
  CHECK(mask_secrets("  certificateKey: \"" + key + "\"") == "  certificateKey: \"********\"");
  // Host names and versions with dots are left alone.
  CHECK(mask_secrets("worker01.example.com v1.33.5") == "worker01.example.com v1.33.5");
}

TEST_CASE("registered secrets are masked wherever they appear") {
  add_secret("hunter2-password");
  CHECK(mask_secrets("sudo password hunter2-password was refused") == "sudo password ******** was refused");
  add_secret("abc");  // too short to mask safely
  CHECK(mask_secrets("abc") == "abc");
}
