/** ts-jest in ESM mode; run with NODE_OPTIONS=--experimental-vm-modules (see package.json). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/test', '<rootDir>/contracts', '<rootDir>/projections', '<rootDir>/src'],
  testMatch: ['**/*.spec.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // @fastify/static (Swagger UI's assets) require()s content-disposition 3, which is ESM only. Node 22 runs that
    // require(); Jest's module loader does not (on Node 22.23 without this line SwaggerModule cannot load
    // @fastify/static and the process exits). The tests get the CommonJS 1.x of the same package.
    '^content-disposition$': 'content-disposition-cjs',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } }],
  },
  testTimeout: 60000,
  maxWorkers: 2,
};
