import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';

/** Global providers: the clock. Tests override Clock with a FixedClock. */
@Global()
@Module({
  providers: [{ provide: Clock, useClass: SystemClock }],
  exports: [Clock],
})
export class CommonModule {}
