import { Test } from '@nestjs/testing';
import { Controller, Get, Module } from '@nestjs/common';
import { comparePositions } from '../contracts/envelope.js';

@Controller()
class PingController {
  @Get('ping') ping() { return { ok: true }; }
}
@Module({ controllers: [PingController] })
class PingModule {}

describe('ESM toolchain', () => {
  it('compiles decorators and resolves NestJS 12 ES modules', async () => {
    const ref = await Test.createTestingModule({ imports: [PingModule] }).compile();
    expect(ref.get(PingController).ping()).toEqual({ ok: true });
    expect(comparePositions({ commit: 1n, prepare: 5n }, { commit: 2n, prepare: 1n })).toBe(-1);
  });
});
