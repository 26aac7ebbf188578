#include "tls_files.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace fleetk8s::http {

namespace ssl = boost::asio::ssl;

std::shared_ptr<ssl::context> TlsFiles::current(std::string& error) {
  const std::string stamp = stamps();
  if (context_ && stamp == loaded_) return context_;
  auto made = make();
  if (made) {
    context_ = std::move(*made);
  } else if (stamp != failed_) {
    error = made.error().message();
    failed_ = stamp;
  }
  loaded_ = stamp;
  return context_;
}

std::string TlsFiles::stamps() const {
  return file_stamp(tls_.cert_file) + ";" + file_stamp(tls_.key_file) + ";" + file_stamp(tls_.client_ca_file);
}

Result<std::shared_ptr<ssl::context>> TlsFiles::make() const {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  auto fail = [](const std::string& what, const std::string& file, const boost::system::error_code& ec) {
    return Error(ErrorKind::kInvalidInput, what + " " + file + ": cannot load it: " + ec.message());
  };
  boost::system::error_code ec;
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                   ec);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), tls_.tls13_only ? TLS1_3_VERSION : TLS1_2_VERSION);
  ctx->use_certificate_chain_file(tls_.cert_file, ec);
  if (ec) return fail("cert_file", tls_.cert_file, ec);
  ctx->use_private_key_file(tls_.key_file, ssl::context::pem, ec);
  if ((ec && ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH) ||
      (!ec && SSL_CTX_check_private_key(ctx->native_handle()) != 1))
    return Error(ErrorKind::kInvalidInput,
                 "key_file " + tls_.key_file + " is not the key of cert_file " + tls_.cert_file);
  if (ec) return fail("key_file", tls_.key_file, ec);
  const std::string& type = tls_.client_auth_type;
  if (!tls_.client_ca_file.empty()) {
    ctx->load_verify_file(tls_.client_ca_file, ec);
    if (ec) return fail("client_ca_file", tls_.client_ca_file, ec);
    if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(tls_.client_ca_file.c_str()))
      SSL_CTX_set_client_CA_list(ctx->native_handle(), names);  // (the names a client is told to pick from)
  }
  if (type == "RequestClientCert" || type == "RequireAnyClientCert") {
    // Asked for (required for Any) but not verified, as Go's crypto/tls does.
    ctx->set_verify_mode(ssl::verify_peer | (type == "RequireAnyClientCert" ? ssl::verify_fail_if_no_peer_cert : 0));
    ctx->set_verify_callback([](bool, ssl::verify_context&) { return true; });
  } else if (type == "VerifyClientCertIfGiven") {
    ctx->set_verify_mode(ssl::verify_peer);
  } else if (type == "RequireAndVerifyClientCert") {
    ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  } else {
    ctx->set_verify_mode(ssl::verify_none);
  }
  return ctx;
}

}  // namespace fleetk8s::http
