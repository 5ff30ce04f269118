//! Request checksums for every `ChecksumAlgorithm` value in the S3 model,
//! computed natively. Values are base64 of the big-endian digest, as S3
//! expects in `x-amz-checksum-*`.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    Crc32,
    Crc32c,
    Crc64Nvme,
    Sha1,
    Sha256,
    Sha512,
    Md5,
    XxHash64,
    XxHash3,
    XxHash128,
}

impl Algorithm {
    pub const ALL: [Algorithm; 10] = [
        Algorithm::Crc32,
        Algorithm::Crc32c,
        Algorithm::Crc64Nvme,
        Algorithm::Sha1,
        Algorithm::Sha256,
        Algorithm::Sha512,
        Algorithm::Md5,
        Algorithm::XxHash64,
        Algorithm::XxHash3,
        Algorithm::XxHash128,
    ];

    /// The lower-case name botocore uses (`x-amz-checksum-<name>`).
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "crc32",
            Algorithm::Crc32c => "crc32c",
            Algorithm::Crc64Nvme => "crc64nvme",
            Algorithm::Sha1 => "sha1",
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha512 => "sha512",
            Algorithm::Md5 => "md5",
            Algorithm::XxHash64 => "xxhash64",
            Algorithm::XxHash3 => "xxhash3",
            Algorithm::XxHash128 => "xxhash128",
        }
    }

    pub fn header_name(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "x-amz-checksum-crc32",
            Algorithm::Crc32c => "x-amz-checksum-crc32c",
            Algorithm::Crc64Nvme => "x-amz-checksum-crc64nvme",
            Algorithm::Sha1 => "x-amz-checksum-sha1",
            Algorithm::Sha256 => "x-amz-checksum-sha256",
            Algorithm::Sha512 => "x-amz-checksum-sha512",
            Algorithm::Md5 => "x-amz-checksum-md5",
            Algorithm::XxHash64 => "x-amz-checksum-xxhash64",
            Algorithm::XxHash3 => "x-amz-checksum-xxhash3",
            Algorithm::XxHash128 => "x-amz-checksum-xxhash128",
        }
    }

    /// Parses a user's `ChecksumAlgorithm`, case-insensitively as botocore
    /// (`params[member].lower()`).
    pub fn from_name(name: &str) -> Option<Algorithm> {
        let lower = name.to_ascii_lowercase();
        Algorithm::ALL.into_iter().find(|a| a.name() == lower)
    }

    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Algorithm::Crc32 => crc32fast::hash(data).to_be_bytes().to_vec(),
            Algorithm::Crc32c => crc32c::crc32c(data).to_be_bytes().to_vec(),
            Algorithm::Crc64Nvme => {
                let mut d = crc64fast_nvme::Digest::new();
                d.write(data);
                d.sum64().to_be_bytes().to_vec()
            }
            Algorithm::Sha1 => Sha1::digest(data).to_vec(),
            Algorithm::Sha256 => Sha256::digest(data).to_vec(),
            Algorithm::Sha512 => Sha512::digest(data).to_vec(),
            Algorithm::Md5 => Md5::digest(data).to_vec(),
            Algorithm::XxHash64 => xxhash_rust::xxh64::xxh64(data, 0).to_be_bytes().to_vec(),
            Algorithm::XxHash3 => xxhash_rust::xxh3::xxh3_64(data).to_be_bytes().to_vec(),
            Algorithm::XxHash128 => xxhash_rust::xxh3::xxh3_128(data).to_be_bytes().to_vec(),
        }
    }

    /// The header value: base64 of the digest.
    pub fn checksum_b64(self, data: &[u8]) -> String {
        B64.encode(self.digest(data))
    }
}

/// `Content-MD5` as botocore computes it (base64 of the MD5 digest).
pub fn content_md5(data: &[u8]) -> String {
    B64.encode(Md5::digest(data))
}

/// Hex SHA-256, for `x-amz-content-sha256`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hexdigest(a: Algorithm, data: &[u8]) -> String {
        hex::encode(a.digest(data))
    }

    // Published check values: the CRC catalogue's "check" over "123456789",
    // the NIST/RFC digests of "abc", and xxHash's reference values for "" and "abc".
    #[test]
    fn crc_check_values() {
        assert_eq!(hexdigest(Algorithm::Crc32, b"123456789"), "cbf43926");
        assert_eq!(hexdigest(Algorithm::Crc32c, b"123456789"), "e3069283");
        assert_eq!(
            hexdigest(Algorithm::Crc64Nvme, b"123456789"),
            "ae8b14860a799888"
        );
    }

    #[test]
    fn sha_and_md5_reference_digests() {
        assert_eq!(
            hexdigest(Algorithm::Sha1, b"abc"),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hexdigest(Algorithm::Sha256, b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hexdigest(Algorithm::Sha512, b"abc"),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a\
             2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        );
        assert_eq!(
            hexdigest(Algorithm::Md5, b"abc"),
            "900150983cd24fb0d6963f7d28e17f72"
        );
    }

    #[test]
    fn xxhash_reference_values() {
        assert_eq!(hexdigest(Algorithm::XxHash64, b""), "ef46db3751d8e999");
        assert_eq!(hexdigest(Algorithm::XxHash3, b""), "2d06800538d394c2");
        assert_eq!(
            hexdigest(Algorithm::XxHash128, b""),
            "99aa06d3014798d86001c324468d497f"
        );
        // "abc": the values the xxHash project publishes.
        assert_eq!(hexdigest(Algorithm::XxHash64, b"abc"), "44bc2cf5ad770999");
        assert_eq!(hexdigest(Algorithm::XxHash3, b"abc"), "78af5f94892f3950");
        assert_eq!(
            hexdigest(Algorithm::XxHash128, b"abc"),
            "06b05ab6733a618578af5f94892f3950"
        );
    }

    /// XXH3 takes a different path for 1-3, 4-8, 9-16, 17-128, 129-240 and
    /// longer inputs; expected values from the reference C library
    /// (python-xxhash 3.x) over bytes `(i * 7 + 3) % 256`.
    #[test]
    fn xxhash_every_length_class() {
        #[rustfmt::skip]
        let cases = [
            (1, "1f25c8d0bc1f4bb6", "13e608bc156defed", "22bbb76b211a39ba13e608bc156defed"),
            (3, "31d2363f52e564c9", "a9088dda485b481c", "ce31763cbf8245a5a9088dda485b481c"),
            (5, "c7608efddb7051fe", "998620e10e3a4b37", "5787f33cbc36d4c8d3497975144f78a7"),
            (12, "d52e407833af5133", "6829454be0cc3199", "f7314c62630bc633381c69c9c2498dfa"),
            (50, "3feb2f60dd4d0dbd", "279b904dd23ad810", "963e5a73f5c59b9844cffbc456f71a6f"),
            (200, "a6cb3c09bc829b24", "746cd0025327bf5b", "32200a52a918beaf380142cdd5843bbd"),
            (1000, "5f235fa033f1a3fb", "6c4f14bd97bd9e82", "6bcc7eff62da44c26c4f14bd97bd9e82"),
        ];
        for (len, xxh64, xxh3, xxh128) in cases {
            let data: Vec<u8> = (0..len).map(|i| ((i * 7 + 3) % 256) as u8).collect();
            assert_eq!(hexdigest(Algorithm::XxHash64, &data), xxh64, "xxh64 {len}");
            assert_eq!(hexdigest(Algorithm::XxHash3, &data), xxh3, "xxh3 {len}");
            assert_eq!(
                hexdigest(Algorithm::XxHash128, &data),
                xxh128,
                "xxh128 {len}"
            );
        }
    }

    #[test]
    fn s3_documented_crc32_header_value() {
        // botocore sends x-amz-checksum-crc32: jNwWgw== for the body "x".
        assert_eq!(Algorithm::Crc32.checksum_b64(b"x"), "jNwWgw==");
        assert_eq!(Algorithm::from_name("crc32"), Some(Algorithm::Crc32));
        assert_eq!(
            Algorithm::from_name("XXHASH128"),
            Some(Algorithm::XxHash128)
        );
        assert_eq!(Algorithm::from_name("foo"), None);
    }

    #[test]
    fn content_md5_of_empty_body() {
        assert_eq!(content_md5(b""), "1B2M2Y8AsgTpgAmY7PhCfg==");
    }
}
