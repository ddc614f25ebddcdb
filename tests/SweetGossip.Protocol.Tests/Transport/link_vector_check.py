# Independent check of the link handshake test vector (LinkHandshakeTests.Vector), written from the
# description in docs/protocol.md, not from the C# code: pure-Python secp256k1/BIP-340 and the
# `cryptography` package's ChaCha20-Poly1305 and HKDF. Not run by CI; run: python3 link_vector_check.py
import hashlib
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives import hashes

p = 2**256 - 2**32 - 977
n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
G = (0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
     0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8)
def add(P, Q):
    if P is None: return Q
    if Q is None: return P
    if P[0] == Q[0] and (P[1] != Q[1] or P[1] == 0): return None
    if P == Q: l = 3*P[0]*P[0]*pow(2*P[1], p-2, p) % p
    else: l = (Q[1]-P[1])*pow(Q[0]-P[0], p-2, p) % p
    x = (l*l - P[0] - Q[0]) % p
    return (x, (l*(P[0]-x) - P[1]) % p)
def mul(P, k):
    R = None
    while k:
        if k & 1: R = add(R, P)
        P = add(P, P); k >>= 1
    return R
def lift_x(x):
    y2 = (pow(x, 3, p) + 7) % p
    y = pow(y2, (p+1)//4, p)
    assert y*y % p == y2
    return (x, y if y % 2 == 0 else p-y)
b32 = lambda i: i.to_bytes(32, 'big')
i32 = lambda b: int.from_bytes(b, 'big')
def th(tag, data):
    t = hashlib.sha256(tag.encode()).digest()
    return hashlib.sha256(t + t + data).digest()
def verify(pk, m, sig):
    P = lift_x(i32(pk)); r = i32(sig[:32]); s = i32(sig[32:])
    e = i32(th("BIP0340/challenge", sig[:32] + pk + m)) % n
    R = add(mul(G, s), mul((P[0], p-P[1]), e))
    return R is not None and R[1] % 2 == 0 and R[0] == r
xonly = lambda d: b32(mul(G, d)[0])
def hkdf(ikm, salt, info, length):
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)
sha = lambda b: hashlib.sha256(b).digest()
nonce = lambda c: b'\0'*4 + c.to_bytes(8, 'big')

dI, dR, eI, eR = (int(c*64, 16) for c in "1234")
VECTOR = """
00000021013c72addb4fdf09af94f0c94d7fe92a386a7e70cf8a1d85916386bb2535c7b1b1
00000091012c0b7cf95324a07d05398b240174dc0c2be444d96b159aa6c7f7b1e6686809919b2f03524fe103564cc923512202a7c5e389e22b107cba16ea3c7b5ea6960fba125a39de4ecce377b16a521abd256ddcd1242d1805991c0d987dc805be50f761ce440c47f214efa6cd591eb39786442d93d5a990ab9f989a6e28c94a4c815d8e167c2654c16edb75f963254dcc4f2d75
0000007062c6870ae19fd4ffdd98e1086fb240571b3f4e2c23750830c4e63d19f0e0a97fed81008a17512111861a89d0deff3a0187d16af9b14ae0f132f5cd48aad0e5fd4f269cf5e3767136b4c01b0f94125360992ba904173030f8665f4d0f72f491c3be7bad75010ba2058fc9c24cb525876f
00000015a3c2aec7737091440740c3269b9dd827d8535eb6c7
0000001525decfd51dc44dd494c3b03756d614c7f0bbe7b4a1
"""
v = [bytes.fromhex(l) for l in VECTOR.split()]
act1, act2, act3, rec_ir, rec_ri = v
assert act1[:4] == (33).to_bytes(4, 'big') and act1[4:] == b'\x01' + xonly(eI)
assert act2[:4] == (145).to_bytes(4, 'big') and act3[:4] == (112).to_bytes(4, 'big')
a1, a2, a3 = act1[4:], act2[4:], act3[4:]
assert a2[0] == 1 and a2[1:33] == xonly(eR)

h = sha(b"SweetGossip/link/v1")
h = sha(h + a1)
h = sha(h + a2[:33])
ss = b32(mul(lift_x(i32(xonly(eR))), eI)[0])
assert ss == b32(mul(lift_x(i32(xonly(eI))), eR)[0])
khs = hkdf(ss, h, b"handshake", 32)
pt = ChaCha20Poly1305(khs).decrypt(nonce(0), a2[33:], h)
assert pt[:32] == xonly(dR)
assert verify(pt[:32], th("SweetGossip/link-handshake/responder", h), pt[32:])
h = sha(h + a2[33:])
pt = ChaCha20Poly1305(khs).decrypt(nonce(1), a3, h)
assert pt[:32] == xonly(dI)
assert verify(pt[:32], th("SweetGossip/link-handshake/initiator", h), pt[32:])
h = sha(h + a3)
k = hkdf(ss, h, b"transport", 64)
k_ir, k_ri = k[:32], k[32:]
for rec, key in ((rec_ir, k_ir), (rec_ri, k_ri)):
    assert i32(rec[:4]) == len(rec) - 4
    assert ChaCha20Poly1305(key).decrypt(nonce(0), rec[4:], rec[:4]) == b"hello"
print("vector verified; final h =", h.hex())
def sign(d, m, aux):
    P = mul(G, d); d = d if P[1] % 2 == 0 else n - d
    t = b32(d ^ i32(th("BIP0340/aux", aux)))
    k0 = i32(th("BIP0340/nonce", t + b32(P[0]) + m)) % n
    R = mul(G, k0); k = k0 if R[1] % 2 == 0 else n - k0
    e = i32(th("BIP0340/challenge", b32(R[0]) + b32(P[0]) + m)) % n
    return b32(R[0]) + b32((k + e*d) % n)
h2 = sha(sha(sha(b"SweetGossip/link/v1") + a1) + a2[:33])
pt2 = ChaCha20Poly1305(khs).decrypt(nonce(0), a2[33:], h2)
assert pt2[32:] == sign(dR, th("SweetGossip/link-handshake/responder", h2), b32(eR))
h3 = sha(h2 + a2[33:])
pt3 = ChaCha20Poly1305(khs).decrypt(nonce(1), a3, h3)
assert pt3[32:] == sign(dI, th("SweetGossip/link-handshake/initiator", h3), b32(eI))
print("signatures are BIP-340 with aux_rand = ephemeral secret")
