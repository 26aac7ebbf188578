#include <catch2/catch.hpp>

#include "fleetk8s/report/secrets.h"
#include "fleetk8s/orchestrator/join_data.h"

using namespace fleetk8s;
using namespace fleetk8s::orchestrator;

namespace {
const std::string kHash = "sha256:f44556a4f5fa83a8fffe933217acaffd9fdeaa95a5005401f8e8bb0c867a31ec";
const std::string kKey = "9b3bd5d5a3e7d4b2f1a8c0e6d9b7a5c3e1f0d2b4a6c8e0f1a3b5c7d9e1f3a5b7";
}  // namespace

TEST_CASE("kubeadm init's multi-line join commands, tab continuations and trailing spaces") {
  const std::string out =
      "Your Kubernetes control-plane has initialized successfully!\n\n"
      "You can now join any number of the control-plane node running the following command on each as root:\n\n"
      "  kubeadm join 10.0.0.10:6443 --token syh7j4.879ywf9pyo57t99x \\\n"
      "\t--discovery-token-ca-cert-hash " + kHash + " \\\n"
      "\t--control-plane --certificate-key " + kKey + "\n\n"
      "Then you can join any number of worker nodes by running the following on each as root:\n\n"
      "kubeadm join 10.0.0.10:6443 --token syh7j4.879ywf9pyo57t99x \\\n"
      "\t--discovery-token-ca-cert-hash " + kHash + " \n";
  auto d = parse_join_command(out);
  REQUIRE(d);
  CHECK(d->endpoint == "10.0.0.10:6443");
  CHECK(d->token == "syh7j4.879ywf9pyo57t99x");
  CHECK(d->ca_hash == kHash);
  CHECK(d->certificate_key == kKey);
}

TEST_CASE("older four-space continuations and the one-line print-join-command") {
  auto a = parse_join_command("kubeadm join lb.example:6443 --token abcdef.0123456789abcdef \\\n    --discovery-token-ca-cert-hash " + kHash + "\n");
  REQUIRE(a);
  CHECK(a->endpoint == "lb.example:6443");
  CHECK(a->certificate_key.empty());
  auto b = parse_join_command("kubeadm join 127.0.93.1:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash " + kHash + " \n");
  REQUIRE(b);
  CHECK(b->ca_hash == kHash);
}

TEST_CASE("broken join output is an error that says what is missing") {
  CHECK_FALSE(parse_join_command("error execution phase preflight"));
  auto bad_token = parse_join_command("kubeadm join 1.2.3.4:6443 --token NOPE --discovery-token-ca-cert-hash " + kHash);
  REQUIRE_FALSE(bad_token);
  CHECK_THAT(bad_token.error().message(), Catch::Contains("--token"));
  auto no_hash = parse_join_command("kubeadm join 1.2.3.4:6443 --token abcdef.0123456789abcdef");
  REQUIRE_FALSE(no_hash);
  CHECK_THAT(no_hash.error().message(), Catch::Contains("ca-cert-hash"));
}

TEST_CASE("the certificate key of upload-certs") {
  auto k = parse_certificate_key("[upload-certs] Storing the certificates in Secret \"kubeadm-certs\" in the \"kube-system\" Namespace\n"
                                 "[upload-certs] Using certificate key:\n" + kKey + "\n");
  REQUIRE(k);
  CHECK(*k == kKey);
  CHECK_FALSE(parse_certificate_key("nothing here\n"));
}

TEST_CASE("the token and certificate key are masked the moment they are parsed") {
  const std::string token = "k3q9zx.0h2m4n6p8r0t2v4x";
  const std::string key = "0f1a3b5c7d9e1f3a5b79b3bd5d5a3e7d4b2f1a8c0e6d9b7a5c3e1f0d2b4a6c8e";
  REQUIRE(parse_join_command("kubeadm join 1.2.3.4:6443 --token " + token + " --discovery-token-ca-cert-hash " + kHash +
                             " --control-plane --certificate-key " + key));
  // Bare, where no shape would give them away.
  CHECK(report::mask_secrets("id" + token + "z") == "id********z");
  CHECK(report::mask_secrets("[" + key + "]") == "[********]");
  const std::string key2 = "e0f1a3b5c7d9e1f3a5b79b3bd5d5a3e7d4b2f1a8c0e6d9b7a5c3e1f0d2b4a6c8";
  REQUIRE(parse_certificate_key("[upload-certs] Using certificate key:\n" + key2 + "\n"));
  CHECK(report::mask_secrets("[" + key2 + "]") == "[********]");
}

TEST_CASE("hostile kubeadm output: 1 MB of it is read in linear time, without deep recursion") {
  const std::string spaces(1 << 20, ' ');
  CHECK_FALSE(parse_join_command("kubeadm join" + spaces));
  CHECK_FALSE(parse_join_command("kubeadm join 1.2.3.4:6443" + std::string(1 << 19, ' ') + "--token" + spaces));
  std::string options = "kubeadm join 1.2.3.4:6443";
  while (options.size() < (1 << 20)) options += " --a b";
  CHECK_FALSE(parse_join_command(options));
  CHECK_FALSE(parse_join_command(std::string(1 << 20, '\\')));
  CHECK_FALSE(parse_certificate_key(std::string(64, 'a') + spaces + "x"));
  auto k = parse_certificate_key(spaces + "\n" + kKey + spaces + "\n");
  REQUIRE(k);
  CHECK(*k == kKey);
}

TEST_CASE("a continuation backslash right after a value is no part of it") {
  auto d = parse_join_command("kubeadm join 10.0.0.10:6443 --token abcdef.0123456789abcdef\\\n"
                              "    --discovery-token-ca-cert-hash " + kHash + "\\  \n");
  REQUIRE(d);
  CHECK(d->token == "abcdef.0123456789abcdef");
  CHECK(d->ca_hash == kHash);
}
