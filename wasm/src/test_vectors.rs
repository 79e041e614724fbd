//! Known answers for the tests (`cargo test` only, never in a module).
//!
//! The RSA vectors were made once with OpenSSL 3.0 and are kept as constants
//! so the tests need no tools: per key, `openssl genpkey -algorithm RSA
//! -pkeyopt rsa_keygen_bits:BITS -pkeyopt rsa_keygen_pubexp:E`; `x` is a
//! random value below n (its first byte one below n's), `y` = x^e mod n from
//! `openssl pkeyutl -encrypt -pkeyopt rsa_padding_mode:none` (and checked
//! with Python's `pow`); the signatures are `openssl dgst -sha1|-sha256
//! -sign` of `MESSAGE`, whose digests are `openssl dgst -binary`'s.

extern crate std;
use std::vec::Vec;

/// Bytes from hex (the tests' constants are all well formed).
pub fn hex(text: &str) -> Vec<u8> {
    assert!(text.len() % 2 == 0, "odd hex length");
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

/// One RSA key and the public operations OpenSSL did with it.
pub struct RsaVector {
    /// Modulus size in bits.
    pub bits: u32,
    /// Public exponent.
    pub e: u32,
    /// Modulus, big-endian hex.
    pub n: &'static str,
    /// A value below n, as long as n.
    pub x: &'static str,
    /// x^e mod n, as long as n.
    pub y: &'static str,
    /// PKCS#1 v1.5 RSA-SHA1 signature of `MESSAGE`.
    pub sig_sha1: &'static str,
    /// PKCS#1 v1.5 RSA-SHA256 signature of `MESSAGE`.
    pub sig_sha256: &'static str,
}

/// The message signed by every key.
pub const MESSAGE: &[u8] = b"dk known-answer test: the RSA public operation\n";

/// SHA-1 of `MESSAGE`.
pub const MESSAGE_SHA1: &str = "81187b0af22c7ad103486d1e7b65bee648561cd9";

/// SHA-256 of `MESSAGE`.
pub const MESSAGE_SHA256: &str = "d707cd871dd1104ff4599be732d9bae4c4fe128096c4e30eeef4127fc0be2f7d";

/// 512 bits (e = 65537), 1024 (e = 3), 2048 and 4096 (e = 65537).
pub const RSA: [RsaVector; 4] = [
    RsaVector {
        bits: 512,
        e: 65537,
        n: concat!(
            "a4419ca3d10f5bfe2d3b240f577833730f72a6297ca9a60f1234b17a54422a95ae1dfe94e7241afb1aaebe5d5c53dd44",
            "4d2ce389122aedecbde594ef3cea7567",
        ),
        x: concat!(
            "a37285528ca833666b12e1477dd385123c1221bbe8df0d7235bdb974c681598e9aa27dba6f397690873ad3dd55961eb4",
            "b9dd74fb7abb9293af4c77d4862951d1",
        ),
        y: concat!(
            "287d388cbc05de4d47a35d7fe831967d4262fe681dce65be049cbf02cc4b5b089f079b5ca8b294bfbc21ba514b049627",
            "562be41995fd079cac2564d9a9149228",
        ),
        sig_sha1: concat!(
            "6cb0ef22fb12571608ee10052b0222718baaf5449d368ab654f83717391f035ffb15312f999df9495a2208620080292e",
            "566841d4eec56c16412880646b38b3e4",
        ),
        sig_sha256: concat!(
            "2cd92589ec951e087c9fa0be60defa5753418f6660cdc995223ec768ba5dcdb37ec70ff9fe5aad0a07844c3020c2a1b2",
            "43323da4934b1e9489935c322879fedf",
        ),
    },
    RsaVector {
        bits: 1024,
        e: 3,
        n: concat!(
            "da4f5397c8580176e988f688d4525b9928fc2231514f2cf7fa0e2dbf46e2d0e378ab66cb97a702d856b6c2d97062d34f",
            "f6944e2126a2daf44a15208e38988b534d4940390c2ba39a113296c51ba67a7d97f6ad91b058eb684a3d1ffcbcb649d2",
            "b837740910aab7e9fb3cb166b43198bed0883b7fc9696a11e434250c39ab6529",
        ),
        x: concat!(
            "d9dbecac369984ea7c637f6984bfbdcfdc2d4c0f4c28adcd951456c4c1874fdc1f4238254b6037aa19f93c48b46023a6",
            "a3f7b727236f0869677c22380fe47f6808c376b26319fdaab150e79c7b695bcedf9d6246dc4652082ef6e2b97c18f565",
            "01801e46e88dab406876732bcdf40a293d15909e822bdd8e025da449268fc764",
        ),
        y: concat!(
            "c97281eaf015dfd37755e76fe347c06e85889585aeaca2c46e4f7541e81823d5410cc88c912ccbcfdffc1ca6e5fa9685",
            "13a0ce6c3f04e68b3bf56678615efdc6585b1de78b489a1022643ea866024019a8083b7dcdde083d48498430bd101315",
            "5d925362ed674260284e9acb8b3f570b5d36bb96057e98f3eb7ea8e6f2aa0835",
        ),
        sig_sha1: concat!(
            "d3884a18ff80d279ad5bd54357f159504cd292b5fb1b56eec07e3cdf4741794e8eb981a0b1fb7ae2254707bf8bad3a4e",
            "80bc2f6c8a9f7709832b6eb5d07f147ee136a0d0bd5f53b696ed113cbb9490239c4abc3e6055659d46fa286fa18a6b53",
            "0ce70447c340edbe82b71c501ee3624e66b548fb8d5614e7903f513455ca5cec",
        ),
        sig_sha256: concat!(
            "affc191fcc82974235f4bb1c5c9e693215601e1881ba4b69141f17b284e085f90a42af091726b3928916a2d0aa06af5e",
            "1849c22dd93ebf3515fb8c8beee249b0bac3739043d723c2247778eed6fcc08f2126ead69df75c1168ce7aac4af3b0d6",
            "c1b8ddabcc2aa200105235f6ef20998fb4c6e1db3fab9a6b0b7c544323ae4e57",
        ),
    },
    RsaVector {
        bits: 2048,
        e: 65537,
        n: concat!(
            "db1f5205b9205e4b4251b286727b38130dcf877ed4f1fc30e5f1abe0ba3d01441e396563725c1291de8f7a05dcaca132",
            "16e71058abc22d341455bd630acf34a83e36e70808bb5713785bc214edece4657e042437d299fb2a123b5ed06d14e653",
            "08aadaa051d28e903f72cfcefac66a489e845a88c2a377a382382e25ac0e6a2c9de0df7d9778ed1d6d9e62c0364fc9e3",
            "c515d9e08b27079176a69586e5dd822274edb3085627face909a4820ac2348ebc4155c747f8870a63ea1c0417795bd3a",
            "543b1527e404b6154793d30909877a37deab979d5a4f518ea527d618796ac400d3dd53807ebae661f44437e7e860f68d",
            "f562c21069f8fce22658de9dc56fc529",
        ),
        x: concat!(
            "dad2a2f0d3d2d03e4954d7fc811e8777c4635a07cd23f03989534683abfbb2c7df984d7815ade30ab35f3c05452165d4",
            "67b7be34f5037602eaffe0e7431783ade12a0810632d8794cf22323210ccf787cb3493603484c43c4dba3c6b7875adea",
            "a1a68764a6ceb8ec6c9110522e09431ca0726331ca7334cce8430c6e7bd42de0c801158b54e90bf2a0f3992576fc80e2",
            "8fda5cbce7aa518d397e27666c290e6bfb4d7f664444204f5584673231c2a244d0a0a23c5faebcb38f0e7db159734131",
            "d7d295f1ba997146b17bafb750694d6c85a1928640fea692363882f4325a0052d7a9308611209cd816af32b0766ce506",
            "98dd983f02b3873dad95c4d498f01195",
        ),
        y: concat!(
            "c3b6d1620ec2f950a568dff153e9116254e817cc25c2d03846e8bbc13b3c7fc211e406b739a6afca6f4fbf4721db0a68",
            "69f2adb82b93df61a1b38642bb23904b4d1c7993c666d6666631d31899e899919ab7a68b3faf64972ce8a754ed582f14",
            "ad4dfeab36572e3ec2249a1da699ebaf435f4241bfb016ef16d3bb3e5def607bb57e055deb6e1a2ffb3d00753d965c24",
            "cee71db668ce91b4a4a4b49d0355691db89ab43d1c6ce86db623b42f2c2762bbc9582feca8ee91d373bdfd70531c4992",
            "0d66a6b86e372922cc0d967f82fa7de775133874f70f127fc081b14a49f23d560174cc60681188046523378919097ea1",
            "4baed7e8f0a618b0f54719ecbacb7d63",
        ),
        sig_sha1: concat!(
            "17a172a18060b5401f4b42176d0818fedda60d597be51df9d89902aaedde87d74113befc8b0b3c53c0790030b235d048",
            "a3682e0fb4552fa7a8d50eda16a0ce61c8d5dab674fef1d57a6c765a21aa9810731b681099d2e5f02d42076fe80ca2a5",
            "12fdd4db26582d73db006c627937b9440ef63540bc51414ec2155369fdf95a5afed34d8d8499e2071f00942fa08cc01a",
            "d63b5e14ffb74a20b9bd33fc138ef99b06cf22b2fbd9e91249ba5704755c8c1d4b009ad4a008dafb53c5301744fda123",
            "8a26b11d728401197699010798c1bd602761134bd491bea7f25490c0d9968f42d17bfa3f1271a6b443002ef5a4ff34d0",
            "bce7ea5ab87b5fc6d339ec590b6376eb",
        ),
        sig_sha256: concat!(
            "212e85beebaa360a70797e9691951f15c02592ffbcaed1c1d257014bf39972f72a40f732dd4789c875faab18d28ef355",
            "493299ced22053d0823eabb21995d278ad02a357c751075e0447710132f4bcb015667599264e43ea30a481f58c4fe7d5",
            "eea132378024b3ae3799017e3f9631a838ef181c59a5ac99a2254ff8a9c1301dbfb000541f5652ca0c04072a33e45ac7",
            "e49575b17dc262ae0e79eec95d308180629f40f83479400857e97c04d7cb57b4a30cbb6ba68f52285969c6bb4345c016",
            "837479227ad899fd520b5934db1cb7204e3bbb3619c0b31f360493c0eb7483af02c6d3d52154810387f5553b28818931",
            "cb4d81aaa5bcb8c066d441dee941805b",
        ),
    },
    RsaVector {
        bits: 4096,
        e: 65537,
        n: concat!(
            "bb6b8b4c30c18a49915afc1ce49e9e146d69098902551ce6c19107f692bc960eba720ff29480f5cb9c12920e66351df8",
            "6cdc6f6908d1a5b2c9e25c928daa56341bd9ceee58e34b9e2872cdbae90d943ab271c3516c7ea5ab7847a779989f65ab",
            "09ef6d4cb017773c9c60ea9f32514a5391969cf3651cb794cdbe764e1734411c944623b52a4e57c0540addc17de3ead8",
            "24884a510ab2b58cf4f04089d9aa640910398add24e71f427011db5a924d95f316b79a1fdc91135e692e4c0b552c8f2d",
            "7ee3ad24611e18649bac930d3e5c16a04e8304e9b3445f40b101b94fe6692ee61eced0c08c2c23f9a50b6661cf633514",
            "ab3d45804aebec7861b79aed402d779e83463079dd2e496bc030aaa2fe402909023892434553616594ebe2e7971d1138",
            "8ac5153e2e10943caa052a7d502033875e8ca2c8818dd55cfc0883c2fa99f41d63dc65679dd3fbc5ade185eb722aae11",
            "4930d4226ae2d2dfd6bd1a28442d96c0e75ff8c383dca7ff512a212012728d28d56f21ded26a472be219436e769bda9d",
            "1b46fda5f5c5c738e4f85b3be995e5d76d31b18cecca5fe27fb8a011d3e8dcdfae43edf30b48b696e7addb510d7ae9b0",
            "8dad21c713973fc9c1a9c48305141fcad05bc84a30cf61ee8548b15fd17558a2c3f83c31d69db6b060f12f54aabc1f73",
            "175ec95c63a28747e9bb706d070cf06eb480b14fe33066ee4b0baf7c88a0b3ef",
        ),
        x: concat!(
            "ba2882690a2d66cb08850bf2add4e329e1dde2789e190c6c85eb26d4bb6252a903eb63ee46a004567c777d7c0235f870",
            "8d4cb251a219113e5646a2bdd3ae55e286200111420638856023f9c2ee5d97076676322605e0cab53072ec00c2a774c0",
            "16baf11d6e0a8897bb77c14037ceb175fe7be529ffb9855561026931d6733f4748ddddfd463224bae8735321280b5e43",
            "50edc628719f93ca9b9707595fbc14ca05e269b0eaae72e8f47583373058052e5b6d4f36bc32fdc4f3fe763eeedd535d",
            "178cf2bc2d0a70dace453748c07e0a50af051cf732e7edff1a397990a91cbb55c5ea01896aecb2c0d92a26bae554566a",
            "e2eb4893d6eac16bc56652694fb5c6de97694943c9745e8bcdb6a1125b96333b2c606073bed5d3b1f27d7f882a1632c9",
            "293fd19e6590cd30dc6c266f36b97394d2122f5799deb12cb28e6d1847c3aec5233efc32d05f1b3e07137ae331936758",
            "422b27ae8e0161199ccc7ed11030b76dcb928e0abf7461734efa36f79d00f8dfde77f2ad175ebb09fc9a4d662cf9e844",
            "a9a86bcaa3ce4fdb6676b1a592af6c26ef415859e8f7aa2fe5a942f50b9fe67c48f599ce5a36d312a80c5c13acce493f",
            "d9b90b3075e5f9a9ea9a4e2034203762757e0715b97f34cac0eff4cfd6cb24b4c752e60fa720eea79ace1780c9ea93b4",
            "87cbfe483edb4592bd778afdf5ffb3a4fc466d6703f0fe55c205734a213c6692",
        ),
        y: concat!(
            "730ad0b6260afd94e082935260560387dd953678a900229a7fd462e77f832101f5f46a227e5aae007e0caba6a54db343",
            "f99c2f98deadecff00a404549cd9042b7adfb6b98cb2f0d8f065f5fa00b5668af05c500b48635ccdece003014e7e5e97",
            "c01ad2ecb2bde3e285fec479b36838b2706e14c55dd7663ad3762e8d994b7f783b988af022c8a9f1eb4e5aaa08d704bf",
            "28d13e99a645ef1e338d78bee78517d66a41ff3099731328775d1f5743c5bb7b7012f61a6c14046727d76002c99db985",
            "fcd170faf1723daa493c8c60d1af9172407e5eccff9d5500734eacd736f00a3d2f6a361f1b7707beb2984171fe217a55",
            "caed3733a82869256e6f65b56b1fba9dc05a072e212cef5857bc97243634a15e87f44f886fa01d9a4c6239598688027d",
            "83bf80cd597c4aecf68c71dcc4da4650da6283ee60d70fe4b52e99083cdac312983fd15f96a8a86eb4cb2940f3026001",
            "4a7a54c7f66fa1034ea68a13964e7ba87d46fa633b7f3d938863f91a53ee32e2b297d74bfcec9c5ef0a1f60b2e7f637e",
            "9468fcf6a577b18221b6e798ab0a5da0e1158e206d5bb87fc7a62a0b0046dddf58fea0a0ba8037926c401b1ec47265dc",
            "e4b06b6380cf590aacc1dcc1b719a47758d0980421e581ba1ccd5caada322f73f5168c707bd5d16e6d29b2d435063a7a",
            "5f68ef4552780de47b303f4bdfcc7ce7feeada296c4b225042a8a6caecd29348",
        ),
        sig_sha1: concat!(
            "4e34beeaefa898719313c797332c8e8c6fdb8a25c77530cfa03d7e393d3dda181d313d66408fd218b0fb9fcc4c47f12e",
            "fa1a34550e5ad56a10de35054a24f311e1e82e7342e9ee867969e7fbb4732384fe2d6fdd6d4e0ecae558e698ca43fd8c",
            "34a863fe749e3c83036383986b3da60d3569e15473df72b11b7d64775d6216de3e1bf1389cededf23c3b7face3dd34ee",
            "066619602c35885a9ab41c44cfc2d07b537a2709e306f74aa90d5484253dfb8ee843579aa51eea5ea3e8233847e9fc1f",
            "7b6feacc92b733da77a4b211bf551c26e3f53046b049aa6e6e3fedf3ebda37ce07b85c2bfbf3a5ab5fd4d489edd8f4d7",
            "b1ed047e59f430621921172f591f1dde28df9f96706a98d8f3e7c5e754d8ab0a61e333073985678fa3a442f9d5d07657",
            "12b957c68f0acc94cb0310aaed49de5fe3be4f3ff29aa458e80c18e84f97a60b1beac66d06673f61720d1cecc0caa076",
            "21ecfd087ab67b0dd387d8ee8f5784ccf5bc9dc607dc5f7eae5edd207ba85e85141d2589c2e29f6a1928e9581690a4e8",
            "7e5cc5164f3616c8cfc9ddf405c62d3f58d5498f1aaeb97ef72632a5669ba09bbf0d5055ea3fb63c65baedfa8f09e008",
            "4d8370026152536dedb1205f7c8648c63038a0379ce80e9a4160710d78aa0d3aecef53d0d5a09df1f1753da50a04177c",
            "4422672b6a227a3ab4f008b5f16e390800cbdcd8790923ccb598f5dca56fbe10",
        ),
        sig_sha256: concat!(
            "0efdbf4bc889ec36a4a4567eb254f4d0c16c23f8211d54c2caed9817c8c4061463348da315d41d2b624f26e7a01c52ff",
            "7758f6f1b8b529f752e13a79ade5b88de3e2424d68de07120120b3dffe981c76728e10ad3ba62517b9be99966d56578d",
            "46e3d116e836dea49c9641a93bee104287930acc78c594811f8c25787ca984a3c2fd914a25ab0c59a763c5929cab7f44",
            "1cc8a9308a00953696f882ef252b708213672a2a4ee9f42045d32192ddf51ca9c0dc19ae293966891ec564628f3e4313",
            "68a2d24c5ae46a2455f5cc19c5b16f7a54b5708a31d60ab0fa2f247b5499969767434e9fd22deef67c244fbe878cf572",
            "db5d3a6027020376ad7cdf5ef8e233f26f542a2a4d53c1df47c082d561f43cb11b9a76ef425a24f749de8e0f4d747c2b",
            "80c2a0d0de641655ba8ed2e1179d5f346529f38fc90fb8d9ba9815581de5c8bb7a1adce5f6100627b75cffcde61b2165",
            "1d0eec5fdc84ab0b4a25854c1d426e1d1dfcc0baf0711dfc45a5223c0b70d7fba0e614abee37d348c40f633eb62dd9a8",
            "33f6b7e54c0cb7d2ccbdbb0ed85fa15b7a09fe75216cd62fc386b7b25a2cbd73d7fdf90d3ed34147ac32859843b9d13b",
            "7ab2d392624f02d3e6ad4331241ff3ecbe084fbb7f37a296e19ccb9df5e438784b08525705951158d8fd56af34506ad6",
            "2be8bc62db27964e4c3c4a5d0a0270a29a917a998e93df7f47f69825ce426387",
        ),
    },
];
