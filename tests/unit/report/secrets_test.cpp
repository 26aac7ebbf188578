// mask_secrets: kubeadm's secrets by their shape, registered ones of any
// length, linear on hostile remote output.
#include <catch2/catch.hpp>

#include <chrono>

#include "fleetk8s/report/secrets.h"

using namespace fleetk8s;
using namespace fleetk8s::report;

namespace {
const std::string kKey = "9b3bd5d5a3e7d4b2f1a8c0e6d9b7a5c3e1f0d2b4a6c8e0f1a3b5c7d9e1f3a5b7";
const std::string kHash = "sha256:f44556a4f5fa83a8fffe933217acaffd9fdeaa95a5005401f8e8bb0c867a31ec";

bool leaks(const std::string& text, const std::string& secret) { return text.find(secret) != std::string::npos; }
}  // namespace

TEST_CASE("bootstrap tokens and certificate keys are masked by their shape") {
  CHECK(mask_secrets("kubeadm join 1.2.3.4:6443 --token syh7j4.879ywf9pyo57t99x \\") ==
        "kubeadm join 1.2.3.4:6443 --token ******** \\");
  const std::string key(64, 'a');
  CHECK(mask_secrets("--control-plane --certificate-key " + key) == "--control-plane --certificate-key ********");
  CHECK(mask_secrets("--certificate-key=" + key + " --v=5") == "--certificate-key=******** --v=5");
  CHECK(mask_secrets("  certificateKey: \"" + key + "\"") == "  certificateKey: \"********\"");
  // Host names and versions with dots are left alone.
  CHECK(mask_secrets("worker01.example.com v1.33.5") == "worker01.example.com v1.33.5");
}

TEST_CASE("the certificate key kubeadm's upload-certs prints on a line of its own is masked") {
  const std::string out =
      "[upload-certs] Storing the certificates in Secret \"kubeadm-certs\" in the \"kube-system\" Namespace\n"
      "[upload-certs] Using certificate key:\n" + kKey + "\n";
  const std::string masked = mask_secrets(out);
  CHECK_FALSE(leaks(masked, kKey));
  CHECK(masked.find("[upload-certs] Using certificate key:\n********\n") != std::string::npos);
}

TEST_CASE("the discovery hash is public: left alone") {
  const std::string line = "--discovery-token-ca-cert-hash " + kHash;
  CHECK(mask_secrets(line) == line);
  CHECK(mask_secrets(kHash.substr(7)) == kHash.substr(7));  // a bare sha256 digest too
}

TEST_CASE("a key found by its shape stays masked where it later appears bare") {
  const std::string other = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  CHECK(mask_secrets(other) == other);  // a digest, as far as anyone knows
  CHECK(mask_secrets("kubeadm init --upload-certs --certificate-key " + other) ==
        "kubeadm init --upload-certs --certificate-key ********");
  CHECK(mask_secrets(other + "\n") == "********\n");
}

TEST_CASE("stdout_lines are masked as stdout is, the key alone on its line included") {
  const std::string key = "7e1f0d2b4a6c8e0f1a3b5c7d9e1f3a5b79b3bd5d5a3e7d4b2f1a8c0e6d9b7a5c";
  Value result = Value::Object{{"stdout", "[upload-certs] Using certificate key:\n" + key},
                               {"stdout_lines", Value::Array{"[upload-certs] Using certificate key:", key}}};
  const std::string json = mask_value(result).to_json();
  CHECK_FALSE(leaks(json, key));
}

TEST_CASE("registered secrets are masked wherever they appear, however short") {
  add_secret("hunter2-password");
  CHECK(mask_secrets("sudo password hunter2-password was refused") == "sudo password ******** was refused");
  add_secret("Qz4!");  // a 4-character password is still a password
  CHECK(mask_secrets("pw=Qz4!") == "pw=********");
  add_secret("");  // the empty string is no secret
  CHECK(mask_secrets("nothing") == "nothing");
}

TEST_CASE("a secret containing another is masked whole, not around the shorter one") {
  add_secret("Rx9");
  add_secret("aRx9-long-secret-b");
  CHECK(mask_secrets("x aRx9-long-secret-b y") == "x ******** y");
  CHECK(mask_secrets("Rx9") == "********");
}

TEST_CASE("a secret with quotes and backslashes is masked before JSON encoding escapes it") {
  const std::string pw = "p\"a\\ss'w0rd";
  add_secret(pw);
  Value v = Value::Object{{"msg", "sudo: " + pw + " rejected"}, {"items", Value::Array{pw, 3}}};
  const std::string json = mask_value(v).to_json();
  CHECK(json == R"({"items":["********",3],"msg":"sudo: ******** rejected"})");
  CHECK_FALSE(leaks(json, "a\\\\ss"));  // nor its JSON-escaped form
}

TEST_CASE("hostile remote output: 1 MB inputs are masked in linear time, without deep recursion") {
  using namespace std::chrono;
  const std::string spaces(1 << 20, ' ');
  const std::vector<std::string> inputs = {
      "--certificate-key" + spaces + std::string(64, 'a'),
      "--certificate-key" + std::string(1 << 20, 'a'),
      "certificateKey:" + std::string(1 << 20, '"'),
      std::string(1 << 20, '.'),
      std::string(1 << 20, 'a').append("."),
      [] {
        std::string s;
        while (s.size() < (1 << 20)) s += "abcdef.0123456789abcdef ";
        return s;
      }(),
      [] {
        std::string s;
        while (s.size() < (1 << 20)) s += "--certificate-key certificateKey: ";
        return s;
      }(),
  };
  for (const auto& in : inputs) {
    const auto start = steady_clock::now();
    const std::string out = mask_secrets(in);
    CHECK(duration_cast<milliseconds>(steady_clock::now() - start).count() < 2000);
    CHECK(out.size() <= in.size() + 8);
  }
  CHECK(mask_secrets(inputs[0]).substr(inputs[0].size() - 64) != std::string(64, 'a'));
}

TEST_CASE("text with no secret in it comes back unchanged, fast") {
  std::string text;
  while (text.size() < (1 << 20)) text += "ok: [worker01] => {\"changed\": false, \"stdout\": \"v1.33.5\"}\n";
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) CHECK(mask_secrets(text).size() == text.size());
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}
