/* The config header TF-M's build writes for its manifest tool (tools/CMakeLists.txt):
 * #cmakedefine lines for TFM_ISOLATION_LEVEL, CONFIG_TFM_SPM_BACKEND and each list's
 * `conditional`, here as configured for the SFN backend. */
#define TFM_ISOLATION_LEVEL 1
#define CONFIG_TFM_SPM_BACKEND SFN
#define TFM_PARTITION_DUAL_TEST 1
#define TFM_PARTITION_PS_TEST 0
