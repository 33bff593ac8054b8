/** The benchmark account's key, shared by the Doitong server and the load generator. */
export const benchApiKey = 'dk_test_benchmark_key_0000000000';
