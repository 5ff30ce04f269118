//! The TLS client configuration of a transport, as botocore's (OpenSSL
//! through urllib3) verifies servers and presents client certificates.
//!
//! Verification is rustls/webpki's against the built-in roots or the CA
//! bundle, plus what OpenSSL also accepts and webpki does not: a server
//! certificate that is itself in the bundle (a store's self-signed
//! certificate, `basicConstraints CA:TRUE` as `openssl req -x509` makes it),
//! still checked for its validity period and host name. Chosen over OpenSSL
//! (native-tls) to keep one TLS stack, rustls' speed and a self-contained
//! wheel; the cases people meet are compared with botocore in tests/test_tls.py.

use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

use crate::error::Error;
use crate::transport::TransportOptions;

/// `Config(client_cert=...)`: a PEM file holding the certificate (and the
/// key, when `key` is None), as botocore's single-path and pair forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientCert {
    pub cert: String,
    pub key: Option<String>,
}

/// Why a TLS configuration could not be made. Like urllib3, which loads the
/// certificates when it connects, the call that sends reports it.
#[derive(Debug, Clone)]
pub(crate) enum TlsSetupError {
    /// An error that needs no endpoint URL (an unreadable CA bundle, an
    /// invalid proxy): raised as it is.
    Failed(Error),
    /// A client certificate or key file could not be read (urllib3's
    /// `load_cert_chain` OSError: botocore's ConnectionClosedError).
    ClientCertUnreadable,
    /// One that was read but is not usable (no certificate or key in it,
    /// a key that does not match): OpenSSL's SSLError.
    ClientCertRejected(String),
}

impl TlsSetupError {
    /// The error a call to `endpoint_url` raises.
    pub(crate) fn at(self, endpoint_url: &str) -> Error {
        match self {
            TlsSetupError::Failed(e) => e,
            TlsSetupError::ClientCertUnreadable => Error::ConnectionClosed {
                endpoint_url: endpoint_url.to_string(),
            },
            TlsSetupError::ClientCertRejected(error) => Error::Ssl {
                endpoint_url: endpoint_url.to_string(),
                error,
            },
        }
    }
}

fn provider() -> Arc<CryptoProvider> {
    static PROVIDER: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    PROVIDER
        .get_or_init(|| Arc::new(rustls::crypto::ring::default_provider()))
        .clone()
}

/// The TLS configuration for a transport. The verifier for the built-in
/// roots is made once per process (it costs milliseconds), a bundle's per
/// transport.
pub(crate) fn client_config(
    options: &TransportOptions,
) -> Result<rustls::ClientConfig, TlsSetupError> {
    static DEFAULT_VERIFIER: OnceLock<Arc<dyn ServerCertVerifier>> = OnceLock::new();
    let verifier: Arc<dyn ServerCertVerifier> = if !options.verify {
        Arc::new(AcceptAnything(provider()))
    } else if let Some(path) = &options.ca_bundle {
        Arc::new(BundleVerifier::from_file(path).map_err(TlsSetupError::Failed)?)
    } else {
        DEFAULT_VERIFIER
            .get_or_init(|| {
                let roots = rustls::RootCertStore {
                    roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
                };
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider())
                    .build()
                    .expect("the built-in roots make a verifier")
            })
            .clone()
    };
    let builder = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    match &options.client_cert {
        None => Ok(builder.with_no_client_auth()),
        Some(client) => {
            let (chain, key) = load_client_cert(client)?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| TlsSetupError::ClientCertRejected(e.to_string()))
        }
    }
}

fn load_client_cert(
    client: &ClientCert,
) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), TlsSetupError> {
    let read = |path: &str| std::fs::read(path).map_err(|_| TlsSetupError::ClientCertUnreadable);
    let cert_pem = read(&client.cert)?;
    let key_pem = match &client.key {
        Some(path) => read(path)?,
        None => cert_pem.clone(),
    };
    let chain = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TlsSetupError::ClientCertRejected(e.to_string()))?;
    if chain.is_empty() {
        return Err(TlsSetupError::ClientCertRejected(format!(
            "no certificate in {}",
            client.cert
        )));
    }
    let key = PrivateKeyDer::from_pem_slice(&key_pem)
        .map_err(|e| TlsSetupError::ClientCertRejected(e.to_string()))?;
    Ok((chain, key))
}

/// webpki's verification against the bundle, and OpenSSL's acceptance of a
/// server certificate that is itself in the bundle.
#[derive(Debug)]
struct BundleVerifier {
    webpki: Arc<WebPkiServerVerifier>,
    bundle: Vec<CertificateDer<'static>>,
}

impl BundleVerifier {
    fn from_file(path: &str) -> Result<BundleVerifier, Error> {
        let invalid = |error: String| Error::InvalidCaBundle {
            path: path.to_string(),
            error,
        };
        let bundle = CertificateDer::pem_file_iter(path)
            .map_err(|e| invalid(e.to_string()))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| invalid(e.to_string()))?;
        let mut roots = rustls::RootCertStore::empty();
        for cert in &bundle {
            roots
                .add(cert.clone())
                .map_err(|e| invalid(e.to_string()))?;
        }
        let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider())
            .build()
            .map_err(|e| invalid(e.to_string()))?;
        Ok(BundleVerifier { webpki, bundle })
    }
}

impl ServerCertVerifier for BundleVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let refused = match self.webpki.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Ok(verified) => return Ok(verified),
            Err(e) => e,
        };
        if !self
            .bundle
            .iter()
            .any(|trusted| trusted.as_ref() == end_entity.as_ref())
        {
            return Err(refused);
        }
        // Trusted as it is, as OpenSSL trusts a certificate of its store
        // that the server presents: its dates and names still count.
        check_validity(end_entity, now)?;
        let parsed = rustls::server::ParsedCertificate::try_from(end_entity)?;
        rustls::client::verify_server_name(&parsed, server_name)?;
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

fn check_validity(cert: &CertificateDer<'_>, now: UnixTime) -> Result<(), rustls::Error> {
    use rustls::CertificateError;
    let (_, parsed) = x509_parser::parse_x509_certificate(cert.as_ref())
        .map_err(|_| rustls::Error::InvalidCertificate(CertificateError::BadEncoding))?;
    let now = now.as_secs() as i64;
    let validity = parsed.validity();
    if now < validity.not_before.timestamp() {
        return Err(rustls::Error::InvalidCertificate(
            CertificateError::NotValidYet,
        ));
    }
    if now > validity.not_after.timestamp() {
        return Err(rustls::Error::InvalidCertificate(CertificateError::Expired));
    }
    Ok(())
}

/// `verify=False`: any certificate, the handshake's signatures still checked.
#[derive(Debug)]
struct AcceptAnything(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnything {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options_with(client_cert: ClientCert) -> TransportOptions {
        TransportOptions {
            client_cert: Some(client_cert),
            ..TransportOptions::default()
        }
    }

    #[test]
    fn client_certificate_failures_are_reported_as_urllib3_reports_them() {
        let dir = std::env::temp_dir().join(format!("fastboto-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let garbage = dir.join("garbage.pem");
        std::fs::write(&garbage, b"not a certificate").unwrap();
        let missing = ClientCert {
            cert: dir.join("missing.pem").to_string_lossy().into_owned(),
            key: None,
        };
        let unusable = ClientCert {
            cert: garbage.to_string_lossy().into_owned(),
            key: None,
        };
        let url = "https://b.s3.amazonaws.com/?policy";
        match client_config(&options_with(missing)).map(|_| ()) {
            Err(e) => assert!(matches!(e.at(url), Error::ConnectionClosed { .. })),
            Ok(()) => panic!("a missing certificate file was accepted"),
        }
        match client_config(&options_with(unusable)).map(|_| ()) {
            Err(e) => assert!(matches!(e.at(url), Error::Ssl { .. })),
            Ok(()) => panic!("a file without a certificate was accepted"),
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    // Expired and not-yet-valid store certificates: tests/test_tls.py.
    #[test]
    fn an_unparsable_trusted_certificate_is_refused() {
        let bad = CertificateDer::from(vec![0x30, 0x03, 0x02, 0x01, 0x00]);
        assert!(check_validity(&bad, UnixTime::now()).is_err());
    }
}
