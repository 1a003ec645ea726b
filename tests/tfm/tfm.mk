# tests/tfm: TF-M's whole partition layout through ffm-manifest, values compared with TF-M's
# generated ones (tfm_layout.sh; fixtures in tests/fixtures/manifest/tfm_layout/).
TEST_SCRIPTS += tests/tfm/tfm_layout.sh
