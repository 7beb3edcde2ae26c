// The secrets of the real corpus (test/corpus/), read from its files by eye: the lines that hold
// one and each value, in file order. The precision test and the Oxidized comparison share them.

/**
 * File → [line where the value starts, the value]. A value is the exact text, or a pattern for
 * the long ones (a base64 PEM in `<prv>`, a multi-line PEM block) and for a value that is also
 * its keyword's word (RouterOS `password=password`). Notes on what each is:
 * - VRP: a local user's irreversible-cipher hash, an SNMP community in `%@%@…%@%@` (Oxidized's
 *   vrp.rb misses this form; we remove it).
 * - Wazuh's CloudTrail sample: `SecretString` holds a database user's password, JSON-escaped.
 * - AOS-CX, AOS-W, Instant: user password ciphertexts and hashes, TACACS+/RADIUS keys, SNMP
 *   communities (named and positional), a PSK, WPA passphrases, Instant's virtual-controller-key.
 * - ASA: `enable password`, `passwd … encrypted`, `username … password`, aaa-server `key`s.
 * - EOS, IOS, NX-OS: communities (named and `snmp-server host` positional), `server-key`s,
 *   secrets, `server-private … key 7`, SNMPv3 auth/priv keys; EOS's `aaa root secret` hashes.
 * - PAN-OS (a Panorama): administrators' `phash` and `public-key`, its own and a template's.
 * - FortiOS/FortiManager: every `ENC` value, and certificates' private keys (a PEM block inside
 *   quotes, the quotes kept; FortiManager's body between its BEGIN and END lines).
 * - Junos: `## SECRET-DATA` values and the password in an archive URL.
 * - OPNsense/pfSense: password hashes, a web-proxy password, an SNMP password, certificates'
 *   private keys in `<prv>` (pfsense.rb does not remove `<prv>`; we do).
 * - RouterOS: a PPPoE password, the community named `community` (in `/snmp community`, the name
 *   is the string), the trap community.
 * - VyOS: VRRP, BGP, IPsec and WireGuard secrets, a PKI private key, SNMP communities, and
 *   passwords in URLs.
 * - Wazuh's ASA/FTD 502101/502102 samples: `Encpass: string` is Cisco's catalogue placeholder
 *   standing where the message carries the password; the value is replaced as a real one would be.
 */
export const CORPUS_SECRETS: Readonly<Record<string, ReadonlyArray<readonly [number, string | RegExp]>>> = {
  // Probe 5: Sekoia's CloudTrail AssumeRole responses carry a session token (anonymised to ones).
  "cloud/sekoia-aws-cloudtrail.relevant": [
    [6, "11111111111111111111111111111111111111111"],
    [8, "1111111111111111111111111111111111111111111111111111111111111111111111111"],
  ],
  // probe-readers3: an AOS controller's management users' hashes (partly masked by the source).
  "configs/aruba-aos/rafahpe-controller-mgmt-user.relevant": [
    [3, "d0d5231601a3*******************"],
    [4, "8bcc837e019d7**********************"],
  ],
  // probe-readers3: a FortiGate REST API user's token.
  "configs/fortinet-fortios/lolaiur-aws-env-forti.tpl": [
    [67, "SH2KG/ZD9yUHkemXhLydqeZ6fgzNX7UXZ2x8n53S6fUtWLKxo2T3BaE79ky37g="],
  ],
  "configs/arista-eos/metasploit-arista-config-veos.relevant": [
    [10, "read"],
    [11, "write"],
    [15, "$6$jemN09cUdoLRim6i$Mvl2Fog/VZ7ktxyLSVDR1KnTTTPSMHU3WD.G/kxwgODdsc3d7S1aSNJX/DJmQI3nyrYnEw4lsmoKPGClFJ9hH1"],
    [16, "$6$Rnanb2dQsVy2H3QL$DEYDZMy6j6KK4XK62Uh.3U3WXxK5XJvn8Zd5sm36T7BVKHS5EmIcQV.EN1X1P1ZO099S0lkxpvEGzA9yK5PQF."],
    [18, "$6$Ei2bjrcTCGPOjSkk$7S.XSTZqdRVXILbUUDcRPCxzyfqEFYzg6HfL0BHXvriETX330MT.KObHLkGx7n9XZRVWBr68ZsKfvzvxYCvj61"],
  ],
  "configs/arista-eos/napalm-eos-initial.conf": [
    [7, "$1$lpTXS9qH$EpnjrnfpPZZgiAbz5sxn21"],
    [9, "$1$RT/92Zg9$J8wD1qPAdQBcOhv4fefyt."],
    [10, "$1$Lw2STh4k$bPEDVVTY2e7lf.vNlnNEO0"],
  ],
  "configs/huawei-vrp/public-ce5810-display-current-configuration.relevant": [
    [27, "$1a$fb:J!Rwy*H$Dda$+.%mP.5;L/~*JWA7R|S!3}7[B*zMm{J@IYO=$"],
    [200, "%@%@5Oo|+77#A0K'$Q,6\"&#$,r2;#cJH0/\"_.&<:NYGur(PNr2>,nK\"H/9P{#S6@._S-zbwC2G,r%@%@"],
  ],
  "configs/huawei-vrp/ne40e-stelnet-rsa-server.relevant": [
    [47, "@%@%UyQs4,KTtSwJo(4QmW#K,LC:@%@%"],
  ],
  "configs/paloalto-panos/saute-panorama-config-xml.relevant": [
    [15, "$5$durmgopf$rDQ8hT9K3RPjyJCA8of8RZ7XWQ1R9aqE1yrw8/zQFjB"],
    [23, "$5$fgxqgcaa$zf0219pcuMiFrCnuiKSRLsCSNacFWJaeDchhPyDiqw6"],
    [36, "c3NoLXJzYSBBQUFBQjNOemFDMXljMkVBQUFBREFRQUJBQUFDQVFDdWN1OHlUVGlRZUpxYWpBVVhDcEVYaVFMSE5jc1lwamdpZnlQMHloOG84VFdnQlRaNVdvazFqamZxVFpDeWl6VkUwYWFkUUthTWY0RHpRR0tnMnI3WWUvOE5JOVNRUUxMeFUvSStUYlZyclE0TlFQcXlmc2ZQd2ZYdTEreFVBbHBrNHFCbm9uNGlZdm9lYXhiNDhFb2grdzBVUTBNbnFkVXpEcXRITnRvN0hsNkNFbEt5R3RSNWdiVkdSRmVXMHc0dzJFTVlKc1I0cVV0ZGcrQ21WUVpPcEhrb1Q0VE5wS0RXdGlWRlBzU3ZwaUhvaTZ4N2FtMHk1azFMNEVuVDhGd1hVTURCa0hGZkgvSWVZOEJPZUpzTlBQZWh5OWFYcVRxN01GNlZuaCttekpPdWg2OGtHaUt4UzZsa0FkR0NQczVxMHZ1S09CcHVGb0lkYTRlMmVqY3RUMEN1aS9WWSt2cTdDYzc3dEZoSlBVK1pQOTJtSFJYV3BRdEtzTlhuK1dhaUM2QnA1NTJqaitNd2FnWkNkMWRBZnZ2ZVVQV243aURBYkpSWDVqVzdTVHBrNHRPaTdDNFhqWHBSNDhPNzBMWHlCc3pBNWRMQ2xQTmxsdGR4VW53NUFuQlY2dndnb1FzL3Fsem1pM0dDSG4zZWVDczAzQy82YU9YNGVwaGF1b0dEczl1cHhySXVGejVsZmFENnhEOUpibDIvUXZuREEybDNuaXVad2JkVTlvT0cvdk9vWWVoNjgvOE5haExpUlp1blZ1ekxYMklqZzFVcFB4OXdQUUEycXY1Sk5VK2M3Q1AzNjdYd2RlLzZ1aVR0VkphdUUvb20xVzdjQzdndzgya2FEWE9VQm1Xd3hsU3FwdmJHUnpObG9qMm4yekNvRlB0ck5YNVB5SEFodnc9PSBjZG90LmRldgo="],
    [37, "$5$njetdgiq$cJtZw/teVlKV4AqIFjGvLGHL.FZr2ihO6HnmQwdzhh2"],
    [45, "c3NoLXJzYSBBQUFBQjNOemFDMXljMkVBQUFBREFRQUJBQUFDQVFDNDFuZ01iNUdTMzBFTXFNN2RoVEw1SHdSM0E2Q0JUeXFrdWx5L3JISU1wR2hMWUpGVThvcVZTTWNhbGIwKzZBM0hVdUpWaU5uajU4K0tIZjlRUGRwbit0dzhyMmxiM3BrdEVaeGQ0anZUVzZ1UkZja0RnN1M4K2c0aEE3OFloOEhydXFQRHZJV2lndE04Y2ltcEVyV2J4Snh2OUIwSmNKcGVqM2VFQ1BDVW5WYkZBdmRQdW14c0ZmYkhyaGFSRERvNGhIQ1BVZFNveUFVa3VseGlNeEsxdFB6WFpDUHk0Qi9oK2creHNnUWdFYzJ1UmN6SUVpR21GVnZYNDRLOXYxMzMrSDNnVE1yVVhDNWdkY0F0Y0FKT0pTVWpoSGhOMXEvZk11YVpXTjE4bmNVVnFVVkNPUFFYd2hPaHgyU2VjTDYxZ1BaTk9RSGlqTmxSRWhyVCtFR2lmVmdxa25RdThubXFVbVZ3SU4zUWQ2YUJKRlcyMTF6eWFLOUdSNmZpeTgzMjVIaDlFL250N3NIZ2F5ZEE1V1B0VS9VZUxUOWhFTUFXd0NZNGhKVFpJSzd6Q2E4eUh1Z29RWDZCM21jQitQOWNsMHQ4Q1BjSFBjV3BLM1lTT0NNM0wzbXYzWjltaWVyd3ByYmcwbWdTRzJYUjJvdlFVODhJZ0hPaXdRaUxCb2xWcC80MU5MNVZtUzRRRnhocXRQVUpCUzBoR2N2TitmMEozME9ZWWd4YlBWbllIRHJLU1RPdFRXbmhBVEo5RkZKUktyS3o4aWVQNVgwZFRLbVc1ZVB3RVh5bVVYVjBMdG1wTXU4QUFOcWhhR3pOTkJ3U3BjRW9GcFBzLzdXOWxBZWorQXl3dWpqcm4zYzFNRzNkRDRSblVPNU4zTGRtQmZaenBYUmNyY2JmTlE9PSBhdXRvbWF0aW9uIHNlcnZpY2UgYWNjb3VudAo="],
    [46, "$5$itsxvcqc$0TiipCi8QFNiseMdvyRuoWOkmLQrXULRAP6Z6fkIOI9"],
    [54, "$5$sgqfwmpg$wnaeYjlQS87MdaSYfesXrbiNLUWfOT9AwbdxWuGdG2A"],
    [57, "$5$qppsvkdk$cHbsvbwuCxio/YPfgeyazJJ3g5J7HJNOZo9W8fXyalD"],
    [65, "$5$cugrrdym$DbWWdc7aL9esMbcXcFRM7fU3N1z.6ScaPwqgbCdbtM9"],
    [1964, "c3NoLXJzYSBBQUFBQjNOemFDMXljMkVBQUFBREFRQUJBQUFDQVFDdWN1OHlUVGlRZUpxYWpBVVhDcEVYaVFMSE5jc1lwamdpZnlQMHloOG84VFdnQlRaNVdvazFqamZxVFpDeWl6VkUwYWFkUUthTWY0RHpRR0tnMnI3WWUvOE5JOVNRUUxMeFUvSStUYlZyclE0TlFQcXlmc2ZQd2ZYdTEreFVBbHBrNHFCbm9uNGlZdm9lYXhiNDhFb2grdzBVUTBNbnFkVXpEcXRITnRvN0hsNkNFbEt5R3RSNWdiVkdSRmVXMHc0dzJFTVlKc1I0cVV0ZGcrQ21WUVpPcEhrb1Q0VE5wS0RXdGlWRlBzU3ZwaUhvaTZ4N2FtMHk1azFMNEVuVDhGd1hVTURCa0hGZkgvSWVZOEJPZUpzTlBQZWh5OWFYcVRxN01GNlZuaCttekpPdWg2OGtHaUt4UzZsa0FkR0NQczVxMHZ1S09CcHVGb0lkYTRlMmVqY3RUMEN1aS9WWSt2cTdDYzc3dEZoSlBVK1pQOTJtSFJYV3BRdEtzTlhuK1dhaUM2QnA1NTJqaitNd2FnWkNkMWRBZnZ2ZVVQV243aURBYkpSWDVqVzdTVHBrNHRPaTdDNFhqWHBSNDhPNzBMWHlCc3pBNWRMQ2xQTmxsdGR4VW53NUFuQlY2dndnb1FzL3Fsem1pM0dDSG4zZWVDczAzQy82YU9YNGVwaGF1b0dEczl1cHhySXVGejVsZmFENnhEOUpibDIvUXZuREEybDNuaXVad2JkVTlvT0cvdk9vWWVoNjgvOE5haExpUlp1blZ1ekxYMklqZzFVcFB4OXdQUUEycXY1Sk5VK2M3Q1AzNjdYd2RlLzZ1aVR0VkphdUUvb20xVzdjQzdndzgya2FEWE9VQm1Xd3hsU3FwdmJHUnpObG9qMm4yekNvRlB0ck5YNVB5SEFodnc9PSBjZG90LmRldgo="],
    [1965, "$5$axsadjet$iP6IMi4RFKUNATThD7xvo0TRVb4hB/NntFE5gnqsY71"],
    [1975, "c3NoLXJzYSBBQUFBQjNOemFDMXljMkVBQUFBREFRQUJBQUFDQVFDNDFuZ01iNUdTMzBFTXFNN2RoVEw1SHdSM0E2Q0JUeXFrdWx5L3JISU1wR2hMWUpGVThvcVZTTWNhbGIwKzZBM0hVdUpWaU5uajU4K0tIZjlRUGRwbit0dzhyMmxiM3BrdEVaeGQ0anZUVzZ1UkZja0RnN1M4K2c0aEE3OFloOEhydXFQRHZJV2lndE04Y2ltcEVyV2J4Snh2OUIwSmNKcGVqM2VFQ1BDVW5WYkZBdmRQdW14c0ZmYkhyaGFSRERvNGhIQ1BVZFNveUFVa3VseGlNeEsxdFB6WFpDUHk0Qi9oK2creHNnUWdFYzJ1UmN6SUVpR21GVnZYNDRLOXYxMzMrSDNnVE1yVVhDNWdkY0F0Y0FKT0pTVWpoSGhOMXEvZk11YVpXTjE4bmNVVnFVVkNPUFFYd2hPaHgyU2VjTDYxZ1BaTk9RSGlqTmxSRWhyVCtFR2lmVmdxa25RdThubXFVbVZ3SU4zUWQ2YUJKRlcyMTF6eWFLOUdSNmZpeTgzMjVIaDlFL250N3NIZ2F5ZEE1V1B0VS9VZUxUOWhFTUFXd0NZNGhKVFpJSzd6Q2E4eUh1Z29RWDZCM21jQitQOWNsMHQ4Q1BjSFBjV3BLM1lTT0NNM0wzbXYzWjltaWVyd3ByYmcwbWdTRzJYUjJvdlFVODhJZ0hPaXdRaUxCb2xWcC80MU5MNVZtUzRRRnhocXRQVUpCUzBoR2N2TitmMEozME9ZWWd4YlBWbllIRHJLU1RPdFRXbmhBVEo5RkZKUktyS3o4aWVQNVgwZFRLbVc1ZVB3RVh5bVVYVjBMdG1wTXU4QUFOcWhhR3pOTkJ3U3BjRW9GcFBzLzdXOWxBZWorQXl3dWpqcm4zYzFNRzNkRDRSblVPNU4zTGRtQmZaenBYUmNyY2JmTlE9PSBhdXRvbWF0aW9uIHNlcnZpY2UgYWNjb3VudAo="],
    [1976, "$5$amqhiivh$yQ1Rbclx4pTLka5s7sFU4.1JUMtbFrR/.kfV4HknjGB"],
  ],
  "envelopes/wazuh/aws_cloudtrail.ini.relevant": [
    [7, "{\\n  \\\"username\\\":\\\"david\\\",\\n  \\\"password\\\":\\\"BnQw&XDWgaEeT9XGTT29\\\"\\n}\\n"],
  ],
  "ssh-sessions/aoscx#6000-48G_PL.10.13.0005#output.txt": [
    [102, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [104, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [105, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [124, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [125, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
  ],
  "ssh-sessions/aoscx#R0X25A-6410_FL.10.10.1100#output.txt": [
    [278, "AQEcvdLHmJIRAAAAAAAAABBBBBBBBCCCCCCCC29thkGl9AIkfApt/VowNDcU2BAaNmcgvS63g2LPqkf4VxntPXE5xKOAT9p8KbhO3gDkywU3rSvo1+mrqoeLQ8tCNHVJwztFTK"],
    [279, "AQEfgTZ27jH5bp3e4uMv1qTGAAAAAAAAAAABBBBBBBBCCCCCCCCAoQ0SWlDq9xhpmF/Z6pv83YJkQjVWOswRxNRMhzoeAOK6PTIyfGwqOJuZz3SQ9bP4LTCJ"],
    [1090, "readonlycom"],
    [1091, "rwsnmpcom"],
    [1093, "trapcomm"],
    [1094, "trapcomm"],
  ],
  "ssh-sessions/aoscx#R8N85A-C6000-48G-CL4_PL.10.08.1010#output.txt": [
    [104, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [105, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [106, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [114, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [115, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [192, "oxidized"],
  ],
  "ssh-sessions/aosw#Aruba7210_8.10.0.7#output.txt": [
    [80, "AAAAAAAAAABBBBBBBBBB"],
    [89, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [90, "AAAAAAAAAABBBBBBBBBB"],
    [100, "AAAAAAAAAABBBBBBBBBBB"],
    [104, "AAAAAAAAAABBBBBBBBBBBCCCCCCCCCCC"],
    [108, "AAAAAAAAAABBBBBBBBBBB"],
    [114, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCCC"],
    [122, "AAAAAAAAAABBBBBBBBBB"],
    [123, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [127, "AAAAAAAAAABBBBBBBBBB"],
    [132, "AAAAAAAAAABBBBBBBBBB"],
    [133, "AAAAAAAAAABBBBBBBBBB"],
    [137, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [141, "AAAAAAAAAABBBBBBBBBB"],
  ],
  "ssh-sessions/arubainstant#IAP515_8.10.0.6_VWLC#output.txt": [
    [26, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [47, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [48, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [49, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [54, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [55, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [73, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [85, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [91, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
  ],
  "ssh-sessions/asa#5512_9.12-4-67_single-context#output.txt": [
    [75, "$sha512$5000$AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [90, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [176, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [178, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [180, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [183, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [203, "$sha512$5000$AAAAAAAAAABBBBBBBBBBCCCCCCCCCC=="],
  ],
  "ssh-sessions/eos#DCS-7050SX3-48YC8_4.29.2F#output.txt": [
    [20, "publiccom"],
    [21, "string123"],
    [22, "string456"],
  ],
  "ssh-sessions/fortigate#FortiGate-91G_7.4.7#output.txt": [
    [63, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [71, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [72, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [85, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [93, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [95, /-----BEGIN ENCRYPTED PRIVATE KEY-----\n[\s\S]*?-----END ENCRYPTED PRIVATE KEY-----/],
    [111, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [112, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [118, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [124, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
  ],
  "ssh-sessions/fortios#FMG-VM64_7.4.6#output.txt": [
    [39, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [40, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [51, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [53, /-----BEGIN ENCRYPTED PRIVATE KEY-----\n[\s\S]*?-----END ENCRYPTED PRIVATE KEY-----/],
    [72, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [73, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [80, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [81, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [87, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
  ],
  "ssh-sessions/ios#C9200L-24P-4G_17.09.04a#output.txt": [
    [76, "AAAAAAAAAABBBBBBBBBB"],
    [77, "AAAAAAAAAABBBBBBBBBB"],
    [113, "$9$xxxSECRET_ENABLExxxxxxxxxxxxxx"],
    [115, "$9$xxxxxxxxxxSECRET_OXIDIZEDxxxxxxxxx"],
    [116, "$9$xxxxxxxxxxSECRET_OXIDIZEDxxxxxxxxx"],
    [181, "public"],
    [183, "AAAAAAAAAABBBBBBBBBB"],
    [184, "AAAAAAAAAABBBBBBBBBB"],
    [185, "AAAAAAAAAABBBBBBBBBB"],
  ],
  // A 9800: clear (type 0) values with blanks in them are whole values (`WLAN SECR3T`).
  "ssh-sessions/ios#C9800-L-F-K9_17.06.05#output.txt": [
    [78, "$9$SECRET_REMOVED"],
    [82, "REMOVED_SECRET"],
    [151, "WLANSECR3T"],
    [153, "WLAN SECR3T"],
    [155, "7df35f90c92ecff2a803e79577b85e978edc0a76404f6cfb534df8d9f9f67beb"],
    [157, "DOT1XPASSW0RD"],
    [158, "MGMTPASSW0RD"],
    [158, "MGMTSECR3T"],
    [160, "DOT1X PASSW0RD"],
    [161, "MGMT PASSW0RD"],
    [161, "MGMT SECR3T"],
  ],
  "ssh-sessions/ios#asr920_16.8.1b#output.txt": [
    [60, "password"],
    [66, "ABCDEFGH1234"],
    [67, "ABCDEFGH1234"],
    [68, "ABCDEFGH1234"],
    [147, "password"],
  ],
  "ssh-sessions/junos#srx300_22.4#output.txt": [
    [25, "very-secret-encrypted-password"],
    [32, "very-secret-encrypted-password"],
    [73, "CorrectHorseBattery"],
    [74, "$9$FAKEHASHDATAXXXXXXXXXXXXXXXXXXXX"],
  ],
  "ssh-sessions/junos#srx300_22.4_wo_cluster#output.txt": [
    [25, "very-secret-encrypted-password"],
    [32, "very-secret-encrypted-password"],
  ],
  "ssh-sessions/nxos#C93180YC-FX3J_10.4.5#output.txt": [
    [84, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
    [84, "AAAAAAAAAABBBBBBBBBBCCCCCCCCCC"],
  ],
  "ssh-sessions/opnsense#nano_23.7#output.txt": [
    [227, "$2y$10$YRVoF4SgskIsrXOvOQjGieB9XqHPRra9R7d80B3BZdbY/j21TwBfS"],
    [231, "$2y$10$0tSxWFNio3KNv4dzdJ695eCBrUT/Ej4j98D.V.Em.wIoR1FSBa4Dm"],
    [344, /(?<=<rocommunity>)public/],
    [533, "In5mfAAau7ocmg5wCLTDSkqHRMhQ"],
    [757, /(?<=<password>)password/],
    [775, "public"],
    [952, /LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t[A-Za-z0-9+/=]+/],
    [958, /LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t[A-Za-z0-9+/=]+/],
  ],
  "ssh-sessions/opnsense#nano_24.7#output.txt": [
    [218, "$2y$10$YRVoF4SgskIsrXOvOQjGieB9XqHPRra9R7d80B3BZdbY/j21TwBfS"],
    [222, "$2y$11$R998XWJWIiCM6eQOHC5Ny.W5HAYz0Tr4mShDnYNreoPXnyAPyXIfa"],
    [336, /(?<=<rocommunity>)public/],
    [843, /LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t[A-Za-z0-9+/=]+/],
    [851, /LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t[A-Za-z0-9+/=]+/],
  ],
  "ssh-sessions/pfsense#CE_2.7.2#output.txt": [
    [30, "$2b$10$13u6qwCOwODv34GyCMgdWub6oQF3RX0rG7c3d3X4JvzuEmAXLYDd2"],
    [115, /(?<=<rocommunity>)public/],
    [290, /LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t[A-Za-z0-9+/=]+/],
  ],
  // AOS-CX event 2302 prints the new TACACS+ key.
  "syslog/aruba-aoscx/elastic-test-aruba-cx.log.relevant": [[9, "ABCdefghij+klmNO1pQrSTu23vWXy4ZAbc5dEfGHIjKlMNoPQrATUVWxYZAB6CDeFgHI"]],
  "ssh-sessions/routeros#L009UiGS_7.15.2#output.txt": [
    [27, /(?<=password=)password/],
    [40, /(?<=name=)community/],
    [125, /(?<=trap-community=)community/],
  ],
  "ssh-sessions/vyos#Supermicro_1.4.3#output.txt": [
    [34, "AAAAAAAAAABBBBBBBBBB"],
    [42, "AAAAAAAAAABBBBBBBBBB="],
    [44, "AAAAAAAAAABBBBBBBBBB="],
    [45, "AAAAAAAAAABBBBBBBBBB"],
    [46, "AAAAAAAAAABBBBBBBBBB"],
    [56, "snmppublic"],
    [59, "snmppublic"],
    [98, "AAAAAAAAAABBBBBBBBBB"],
    [99, "AAAAAAAAAABBBBBBBBBB"],
    [100, "AAAAAAAAAABBBBBBBBBB"],
    [101, "AAAAAAAAAABBBBBBBBBB"],
  ],
  "syslog/cisco-asa/wazuh-cisco_asa.ini.relevant": [
    [3, "string"],
    [4, "string"],
  ],
  "syslog/cisco-asa/wazuh-cisco_ftd.ini.relevant": [
    [2, "string"],
    [3, "string"],
  ],
};
