import { HttpException, HttpStatus, Injectable, UnauthorizedException } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { LoginInput } from '@tandem/domain';
import { User } from '../users/user.entity';
import { LoginThrottle } from './login-throttle';
import { verifyAgainstDecoy, verifyPassword } from './password';

export const BAD_CREDENTIALS = 'Email or password is incorrect';

export class TooManyAttempts extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      { statusCode: 429, error: 'Too Many Requests', message: `Too many sign-in attempts; try again in ${retryAfterSeconds} seconds`, retryAfter: retryAfterSeconds },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

@Injectable()
export class AuthService {
  constructor(
    private readonly em: EntityManager,
    private readonly throttle: LoginThrottle,
  ) {}

  /**
   * Checks the password and answers whose it is (the caller opens the session: SessionCookies).
   * Unknown email, wrong password and deactivated account all get the same answer, after the same
   * amount of work.
   */
  async verify(input: LoginInput, meta: { ip: string }): Promise<User> {
    const wait = await this.throttle.retryAfter(input.email, meta.ip);
    if (wait > 0) throw new TooManyAttempts(wait);

    const user = await this.em.findOne(User, { email: input.email }, { populate: ['passwordHash'] });
    const ok = user ? await verifyPassword(user.passwordHash, input.password) : await verifyAgainstDecoy(input.password);
    if (!user || !ok || !user.active) {
      await this.throttle.recordFailure(input.email, meta.ip);
      throw new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message: BAD_CREDENTIALS });
    }
    await this.throttle.recordSuccess(input.email);
    return user;
  }
}
